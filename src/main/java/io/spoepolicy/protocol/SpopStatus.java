package io.spoepolicy.protocol;

/**
 * SPOP status codes carried by DISCONNECT frames, with HAProxy's reason texts. HAProxy reports
 * an event that failed because of its connection as {@code 256 + code} ({@code st=} in its log).
 */
public enum SpopStatus {
    NORMAL(0, "normal"),
    IO_ERROR(1, "I/O error"),
    TIMEOUT(2, "a timeout occurred"),
    FRAME_TOO_BIG(3, "frame is too big"),
    INVALID_FRAME(4, "invalid frame received"),
    NO_VERSION(5, "version value not found"),
    NO_FRAME_SIZE(6, "max-frame-size value not found"),
    NO_CAPABILITIES(7, "capabilities value not found"),
    UNSUPPORTED_VERSION(8, "unsupported version"),
    BAD_FRAME_SIZE(9, "max-frame-size too big or too small"),
    FRAGMENTATION_NOT_SUPPORTED(10, "fragmentation not supported"),
    INVALID_INTERLACED_FRAMES(11, "invalid interlaced frames"),
    FRAME_ID_NOT_FOUND(12, "frame-id not found"),
    RESOURCE_ALLOCATION(13, "resource allocation error"),
    UNKNOWN(99, "an unknown error occurred");

    private final int code;
    private final String reason;

    SpopStatus(int code, String reason) {
        this.code = code;
        this.reason = reason;
    }

    public int code() {
        return code;
    }

    public String reason() {
        return reason;
    }

    /** Maps a received code to a status; codes the table does not know become {@link #UNKNOWN}. */
    public static SpopStatus fromCode(long code) {
        for (SpopStatus status : values()) {
            if (status.code == code) {
                return status;
            }
        }
        return UNKNOWN;
    }
}
