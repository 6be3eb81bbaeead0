package io.spoepolicy.protocol;

import io.netty.buffer.ByteBuf;

/**
 * HAProxy's variable-length integer (the peers-protocol varint), unsigned 64-bit.
 *
 * <p>Values below 240 take one byte. Larger values put their low four bits in a first byte with
 * the top nibble set, then seven bits per byte with a continuation bit. The decoder adds each
 * byte whole, continuation bit included, which is why the encoder subtracts 240 and 128: it also
 * gives every value exactly one encoding, so re-encoding a decoded id reproduces its bytes.
 */
public final class Varint {

    /** Longest encoding: 2^64-1 takes ten bytes. */
    public static final int MAX_BYTES = 10;

    private Varint() {
    }

    /** Number of bytes {@code value} (read as unsigned) takes on the wire. */
    public static int size(long value) {
        if (Long.compareUnsigned(value, 240) < 0) {
            return 1;
        }
        int size = 1;
        long rest = (value - 240) >>> 4;
        while (Long.compareUnsigned(rest, 128) >= 0) {
            rest = (rest - 128) >>> 7;
            size++;
        }
        return size + 1;
    }

    public static void write(ByteBuf out, long value) {
        if (Long.compareUnsigned(value, 240) < 0) {
            out.writeByte((int) value);
            return;
        }
        out.writeByte((int) (value & 0xFF) | 0xF0);
        long rest = (value - 240) >>> 4;
        while (Long.compareUnsigned(rest, 128) >= 0) {
            out.writeByte((int) (rest & 0xFF) | 0x80);
            rest = (rest - 128) >>> 7;
        }
        out.writeByte((int) rest);
    }

    /** Writes into {@code out} at {@code index} and returns the index after the last byte. */
    public static int write(byte[] out, int index, long value) {
        if (Long.compareUnsigned(value, 240) < 0) {
            out[index++] = (byte) value;
            return index;
        }
        out[index++] = (byte) ((value & 0xFF) | 0xF0);
        long rest = (value - 240) >>> 4;
        while (Long.compareUnsigned(rest, 128) >= 0) {
            out[index++] = (byte) ((rest & 0xFF) | 0x80);
            rest = (rest - 128) >>> 7;
        }
        out[index++] = (byte) rest;
        return index;
    }

    /**
     * Reads a varint at the buffer's reader index and advances it.
     *
     * @throws SpopProtocolException (status 4) when the varint is truncated, longer than ten
     *         bytes or does not fit in 64 bits
     */
    public static long read(ByteBuf in) {
        if (!in.isReadable()) {
            throw truncated();
        }
        int first = in.readUnsignedByte();
        if (first < 240) {
            return first;
        }
        long value = first;
        int shift = 4;
        for (int i = 1; i < MAX_BYTES; i++) {
            if (!in.isReadable()) {
                throw truncated();
            }
            int b = in.readUnsignedByte();
            value = accumulate(value, b, shift);
            if (b < 128) {
                return value;
            }
            shift += 7;
        }
        throw new SpopProtocolException(SpopStatus.INVALID_FRAME, "varint longer than 10 bytes");
    }

    /**
     * Reads a varint from {@code in} starting at {@code position[0]}, advancing it; {@code limit}
     * is the exclusive end of readable data.
     */
    public static long read(byte[] in, int[] position, int limit) {
        int pos = position[0];
        if (pos >= limit) {
            throw truncated();
        }
        int first = in[pos++] & 0xFF;
        if (first < 240) {
            position[0] = pos;
            return first;
        }
        long value = first;
        int shift = 4;
        for (int i = 1; i < MAX_BYTES; i++) {
            if (pos >= limit) {
                throw truncated();
            }
            int b = in[pos++] & 0xFF;
            value = accumulate(value, b, shift);
            if (b < 128) {
                position[0] = pos;
                return value;
            }
            shift += 7;
        }
        throw new SpopProtocolException(SpopStatus.INVALID_FRAME, "varint longer than 10 bytes");
    }

    private static long accumulate(long value, int b, int shift) {
        // The tenth byte sits at shift 60: only its low four bits still fit in 64 bits.
        if (shift > 57 && (b >>> (64 - shift)) != 0) {
            throw overflow();
        }
        long sum = value + ((long) b << shift);
        if (Long.compareUnsigned(sum, value) < 0) {
            throw overflow();
        }
        return sum;
    }

    private static SpopProtocolException truncated() {
        return new SpopProtocolException(SpopStatus.INVALID_FRAME, "truncated varint");
    }

    private static SpopProtocolException overflow() {
        return new SpopProtocolException(SpopStatus.INVALID_FRAME, "varint overflows 64 bits");
    }
}
