package io.spoepolicy.protocol;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A typed value as carried in KV-lists, message arguments and SET-VAR actions.
 *
 * <p>STRING and BINARY values decoded from a NOTIFY are views into its payload and valid only
 * while the NOTIFY is being evaluated; see {@link StringValue} for the contract. All other
 * values are self-contained.
 */
public sealed interface TypedValue {

    DataType type();

    /** HAProxy's NULL: a missing sample, or a sample type SPOP cannot carry. */
    TypedValue NULL = new NullValue();

    static TypedValue of(boolean value) {
        return value ? BoolValue.TRUE : BoolValue.FALSE;
    }

    /** An INT64, the type HAProxy itself uses for every integer sample. */
    static TypedValue of(long value) {
        return new IntValue(DataType.INT64, value);
    }

    static TypedValue uint32(long value) {
        return new IntValue(DataType.UINT32, value);
    }

    static TypedValue of(String value) {
        return StringValue.of(value);
    }

    static TypedValue binary(byte[] value) {
        return new BinaryValue(value.clone(), 0, value.length, null, 0);
    }

    static TypedValue of(InetAddress address) {
        return new IpValue(address);
    }

    record NullValue() implements TypedValue {
        @Override
        public DataType type() {
            return DataType.NULL;
        }
    }

    record BoolValue(boolean value) implements TypedValue {
        static final BoolValue TRUE = new BoolValue(true);
        static final BoolValue FALSE = new BoolValue(false);

        @Override
        public DataType type() {
            return DataType.BOOL;
        }
    }

    /** Any of the four integer kinds; unsigned kinds hold their value as unsigned 64-bit. */
    record IntValue(DataType type, long value) implements TypedValue {
        public IntValue {
            if (type != DataType.INT32 && type != DataType.UINT32 && type != DataType.INT64
                    && type != DataType.UINT64) {
                throw new IllegalArgumentException("not an integer type: " + type);
            }
        }
    }

    /** An IPv4 or IPv6 address; the wire type follows the address family. */
    record IpValue(InetAddress address) implements TypedValue {
        @Override
        public DataType type() {
            return address.getAddress().length == 4 ? DataType.IPV4 : DataType.IPV6;
        }

        static IpValue fromBytes(byte[] raw) {
            try {
                return new IpValue(InetAddress.getByAddress(raw));
            }
            catch (UnknownHostException ex) {
                // getByAddress only fails on a wrong length, which the decoder rules out.
                throw new IllegalStateException(ex);
            }
        }
    }

    /**
     * A STRING: raw bytes as HAProxy sent them. They are usually UTF-8 or ASCII but nothing
     * guarantees it, so they are kept undecoded.
     *
     * <p><b>Lifetime.</b> A STRING decoded from a NOTIFY is a view into that NOTIFY's payload
     * buffer, which the connection recycles once the NOTIFY is finished: its ACK was written (or
     * the connection closed) and no policy evaluation of it is still running. Read it during the
     * evaluation; to keep it longer, copy it ({@link #asString()}, {@link #bytes()},
     * {@link #copy()}). A read after the NOTIFY was finished throws
     * {@link io.netty.util.IllegalReferenceCountException}; it never returns another request's
     * bytes. Values built with {@link TypedValue#of(String)} own their bytes and never expire.
     */
    final class StringValue extends ByteView implements TypedValue {

        StringValue(byte[] array, int offset, int length, PayloadBuffer owner, int generation) {
            super(array, offset, length, owner, generation);
        }

        public static StringValue of(String value) {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            return new StringValue(bytes, 0, bytes.length, null, 0);
        }

        /** A STRING over bytes the caller owns and will not change. */
        public static StringValue wrap(byte[] array, int offset, int length) {
            Objects.checkFromIndexSize(offset, length, array.length);
            return new StringValue(array, offset, length, null, 0);
        }

        @Override
        public DataType type() {
            return DataType.STRING;
        }

        /** The bytes decoded as UTF-8, with malformed input replaced; a copy, safe to keep. */
        public String asString() {
            return utf8();
        }

        /** An owned copy, safe to keep (e.g. as a decision variable set after the evaluation). */
        public StringValue copy() {
            byte[] bytes = bytes();
            return new StringValue(bytes, 0, bytes.length, null, 0);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof StringValue that && sameBytes(that);
        }

        @Override
        public int hashCode() {
            return bytesHash();
        }

        @Override
        public String toString() {
            return readable() ? "StringValue[" + asString() + "]" : "StringValue[released]";
        }
    }

    /**
     * A BINARY, e.g. {@code req.hdrs_bin} or {@code req.body}; a view with the same lifetime
     * contract as {@link StringValue}.
     */
    final class BinaryValue extends ByteView implements TypedValue {

        BinaryValue(byte[] array, int offset, int length, PayloadBuffer owner, int generation) {
            super(array, offset, length, owner, generation);
        }

        /** A BINARY over bytes the caller owns and will not change. */
        public static BinaryValue wrap(byte[] array, int offset, int length) {
            Objects.checkFromIndexSize(offset, length, array.length);
            return new BinaryValue(array, offset, length, null, 0);
        }

        @Override
        public DataType type() {
            return DataType.BINARY;
        }

        /** The bytes decoded as UTF-8, with malformed input replaced; a copy, safe to keep. */
        public String asString() {
            return utf8();
        }

        /** An owned copy, safe to keep. */
        public BinaryValue copy() {
            byte[] bytes = bytes();
            return new BinaryValue(bytes, 0, bytes.length, null, 0);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof BinaryValue that && sameBytes(that);
        }

        @Override
        public int hashCode() {
            return bytesHash();
        }

        @Override
        public String toString() {
            return "BinaryValue[" + length + " bytes]";
        }
    }

    /** Borrows the bytes of a STRING or BINARY without copying them; see {@link StringValue#read}. */
    @FunctionalInterface
    interface ByteReader<R> {
        R read(byte[] array, int offset, int length);
    }

    /** Helpers for the byte-view records. */
    final class Bytes {
        private Bytes() {
        }

        static int hash(byte[] array, int offset, int length) {
            int h = 1;
            for (int i = offset; i < offset + length; i++) {
                h = 31 * h + array[i];
            }
            return h;
        }
    }
}
