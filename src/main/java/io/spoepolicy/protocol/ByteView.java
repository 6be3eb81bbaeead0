package io.spoepolicy.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Bytes of a STRING or BINARY value: either owned (built by the agent) or a view into a leased
 * NOTIFY payload, in which case every read first checks that the payload was not recycled.
 */
abstract class ByteView {

    final byte[] array;
    final int offset;
    final int length;
    /** {@code null} when the bytes are owned. */
    private final PayloadBuffer owner;
    private final int generation;

    ByteView(byte[] array, int offset, int length, PayloadBuffer owner, int generation) {
        this.array = array;
        this.offset = offset;
        this.length = length;
        this.owner = owner;
        this.generation = generation;
    }

    /** Number of bytes; readable even after the NOTIFY was finished. */
    public final int length() {
        return length;
    }

    /** A copy of the bytes, safe to keep. */
    public final byte[] bytes() {
        check();
        byte[] copy = Arrays.copyOfRange(array, offset, offset + length);
        validate();
        return copy;
    }

    /**
     * Lends the bytes to {@code reader} without copying. The array is only valid during the call
     * and must not be kept or written; the result must not reference it.
     */
    public final <R> R read(TypedValue.ByteReader<R> reader) {
        check();
        R result;
        try {
            result = reader.read(array, offset, length);
        }
        catch (RuntimeException ex) {
            // Bytes recycled under a late reader look malformed: report the misuse, not its symptom.
            validate();
            throw ex;
        }
        validate();
        return result;
    }

    /** Whether the bytes can still be read (always true for owned bytes). */
    public final boolean readable() {
        return owner == null || owner.generation() == generation;
    }

    final String decode(java.nio.charset.Charset charset) {
        check();
        String text = new String(array, offset, length, charset);
        validate();
        return text;
    }

    final String utf8() {
        return decode(StandardCharsets.UTF_8);
    }

    final void check() {
        if (owner != null) {
            owner.check(generation);
        }
    }

    final void validate() {
        if (owner != null) {
            owner.validate(generation);
        }
    }

    final boolean sameBytes(ByteView that) {
        check();
        that.check();
        boolean equal = Arrays.equals(array, offset, offset + length, that.array, that.offset, that.offset + that.length);
        validate();
        that.validate();
        return equal;
    }

    final int bytesHash() {
        check();
        int hash = TypedValue.Bytes.hash(array, offset, length);
        validate();
        return hash;
    }
}
