package io.spoepolicy.protocol;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A typed value as carried in KV-lists, message arguments and SET-VAR actions.
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
        return new BinaryValue(value.clone(), 0, value.length);
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
     * guarantees it, so they are kept undecoded; the bytes are a view into a frame's payload
     * and never mutated.
     */
    record StringValue(byte[] array, int offset, int length) implements TypedValue {
        public static StringValue of(String value) {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            return new StringValue(bytes, 0, bytes.length);
        }

        @Override
        public DataType type() {
            return DataType.STRING;
        }

        /** The bytes decoded as UTF-8, with malformed input replaced. */
        public String asString() {
            return new String(array, offset, length, StandardCharsets.UTF_8);
        }

        public byte[] bytes() {
            return Arrays.copyOfRange(array, offset, offset + length);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof StringValue that && Arrays.equals(array, offset, offset + length,
                    that.array, that.offset, that.offset + that.length);
        }

        @Override
        public int hashCode() {
            return Bytes.hash(array, offset, length);
        }

        @Override
        public String toString() {
            return "StringValue[" + asString() + "]";
        }
    }

    /** A BINARY, e.g. {@code req.hdrs_bin} or {@code req.body}; a read-only view like {@link StringValue}. */
    record BinaryValue(byte[] array, int offset, int length) implements TypedValue {
        @Override
        public DataType type() {
            return DataType.BINARY;
        }

        public byte[] bytes() {
            return Arrays.copyOfRange(array, offset, offset + length);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof BinaryValue that && Arrays.equals(array, offset, offset + length,
                    that.array, that.offset, that.offset + that.length);
        }

        @Override
        public int hashCode() {
            return Bytes.hash(array, offset, length);
        }

        @Override
        public String toString() {
            return "BinaryValue[" + length + " bytes]";
        }
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
