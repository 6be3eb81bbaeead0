package io.spoepolicy.protocol;

/**
 * The 32-bit flags field of a frame. Bits 2–31 are reserved and always sent as zero.
 */
public final class FrameFlags {

    /** Last (or only) fragment of a frame. Every frame the agent sends carries it. */
    public static final int FIN = 0x01;

    /** The fragmented frame is aborted; its partial content must be dropped. */
    public static final int ABORT = 0x02;

    private FrameFlags() {
    }

    public static boolean isFin(int flags) {
        return (flags & FIN) != 0;
    }

    public static boolean isAbort(int flags) {
        return (flags & ABORT) != 0;
    }
}
