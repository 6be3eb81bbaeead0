package io.spoepolicy.protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses frame payloads (KV-lists, LIST-OF-MESSAGES, typed values) out of a byte array.
 *
 * <p>KV-lists and actions are materialized at once, over an array the frame owns. A
 * LIST-OF-MESSAGES is only validated and indexed into its {@link PayloadBuffer}: values are
 * built when a policy asks for them ({@link #valueAt}), as views into the buffer.
 */
final class PayloadReader {

    private final byte[] data;
    private final int limit;
    private final int[] position;
    private final NameCache names;

    PayloadReader(byte[] data, int offset, int limit, NameCache names) {
        this.data = data;
        this.limit = limit;
        this.position = new int[] {offset};
        this.names = names;
    }

    boolean hasRemaining() {
        return position[0] < limit;
    }

    long varint() {
        return Varint.read(data, position, limit);
    }

    int readByte() {
        if (position[0] >= limit) {
            throw invalid("truncated payload");
        }
        return data[position[0]++] & 0xFF;
    }

    /** A raw name: varint length then bytes, no type byte. */
    String name() {
        int length = length();
        int start = position[0];
        position[0] += length;
        return names.get(data, start, length);
    }

    TypedValue typedValue() {
        int typeByte = readByte();
        DataType type = DataType.fromId(typeByte & 0x0F);
        if (type == null) {
            throw invalid("unknown data type " + (typeByte & 0x0F));
        }
        return switch (type) {
            case NULL -> TypedValue.NULL;
            case BOOL -> TypedValue.of((typeByte & DataType.BOOL_TRUE_FLAG) != 0);
            case INT32 -> new TypedValue.IntValue(DataType.INT32, (int) varint());
            case INT64 -> new TypedValue.IntValue(DataType.INT64, varint());
            case UINT32 -> {
                long value = varint();
                if ((value >>> 32) != 0) {
                    throw invalid("UINT32 value out of range");
                }
                yield new TypedValue.IntValue(DataType.UINT32, value);
            }
            case UINT64 -> new TypedValue.IntValue(DataType.UINT64, varint());
            case IPV4 -> TypedValue.IpValue.fromBytes(fixed(4));
            case IPV6 -> TypedValue.IpValue.fromBytes(fixed(16));
            case STRING -> {
                int length = length();
                int start = position[0];
                position[0] += length;
                yield new TypedValue.StringValue(data, start, length, null, 0);
            }
            case BINARY -> {
                int length = length();
                int start = position[0];
                position[0] += length;
                yield new TypedValue.BinaryValue(data, start, length, null, 0);
            }
        };
    }

    /** Validates one typed value exactly as {@link #typedValue()} would, without building it. */
    private void skipValue() {
        int typeByte = readByte();
        DataType type = DataType.fromId(typeByte & 0x0F);
        if (type == null) {
            throw invalid("unknown data type " + (typeByte & 0x0F));
        }
        switch (type) {
            case NULL, BOOL -> {
            }
            case INT32, INT64, UINT64 -> varint();
            case UINT32 -> {
                if ((varint() >>> 32) != 0) {
                    throw invalid("UINT32 value out of range");
                }
            }
            case IPV4 -> skipFixed(4);
            case IPV6 -> skipFixed(16);
            case STRING, BINARY -> {
                // Not "position[0] += length()": length() itself advances the position.
                int length = length();
                position[0] += length;
            }
        }
    }

    /**
     * Builds the value whose type byte is at {@code offset} of a payload already validated by
     * {@link #index}; STRING and BINARY become views of generation {@code generation}.
     */
    static TypedValue valueAt(PayloadBuffer payload, int generation, int offset) {
        byte[] data = payload.data;
        int typeByte = data[offset] & 0xFF;
        int[] position = {offset + 1};
        return switch (DataType.fromId(typeByte & 0x0F)) {
            case NULL -> TypedValue.NULL;
            case BOOL -> TypedValue.of((typeByte & DataType.BOOL_TRUE_FLAG) != 0);
            case INT32 -> new TypedValue.IntValue(DataType.INT32, (int) Varint.read(data, position, data.length));
            case INT64 -> new TypedValue.IntValue(DataType.INT64, Varint.read(data, position, data.length));
            case UINT32 -> new TypedValue.IntValue(DataType.UINT32, Varint.read(data, position, data.length));
            case UINT64 -> new TypedValue.IntValue(DataType.UINT64, Varint.read(data, position, data.length));
            case IPV4 -> TypedValue.IpValue.fromBytes(java.util.Arrays.copyOfRange(data, offset + 1, offset + 5));
            case IPV6 -> TypedValue.IpValue.fromBytes(java.util.Arrays.copyOfRange(data, offset + 1, offset + 17));
            case STRING -> {
                int length = (int) Varint.read(data, position, data.length);
                yield new TypedValue.StringValue(data, position[0], length, payload, generation);
            }
            case BINARY -> {
                int length = (int) Varint.read(data, position, data.length);
                yield new TypedValue.BinaryValue(data, position[0], length, payload, generation);
            }
        };
    }

    Map<String, TypedValue> kvList() {
        Map<String, TypedValue> items = new LinkedHashMap<>();
        while (hasRemaining()) {
            String key = name();
            TypedValue value = typedValue();
            // First occurrence wins, as in HAProxy's own parsers.
            items.putIfAbsent(key, value);
        }
        return items;
    }

    /**
     * Validates a LIST-OF-MESSAGES and records its arguments in {@code payload}'s index; the
     * messages read their values from there on demand. Every typed value is validated here as
     * {@link #typedValue()} would, so a malformed NOTIFY still fails as it is decoded.
     */
    List<SpopMessage> index(PayloadBuffer payload, int generation, int maxMessages) {
        SpopMessage single = null;
        List<SpopMessage> messages = null;
        int count = 0;
        while (hasRemaining()) {
            if (count == maxMessages) {
                throw invalid("more than " + maxMessages + " messages in one NOTIFY");
            }
            String name = name();
            int arguments = readByte();
            int first = payload.arguments;
            for (int i = 0; i < arguments; i++) {
                String argumentName = name();
                payload.addArgument(argumentName, position[0]);
                skipValue();
            }
            SpopMessage message = new SpopMessage(name, payload, generation, first, arguments);
            count++;
            if (single == null) {
                single = message;
            }
            else {
                if (messages == null) {
                    messages = new ArrayList<>(4);
                    messages.add(single);
                }
                messages.add(message);
            }
        }
        if (messages != null) {
            return List.copyOf(messages);
        }
        return single == null ? List.of() : List.of(single);
    }

    /** LIST-OF-ACTIONS, as the agent sends it; used by tools that play HAProxy's part. */
    List<Action> actions() {
        List<Action> actions = new ArrayList<>();
        while (hasRemaining()) {
            int type = readByte();
            int count = readByte();
            if (type == 1 && count == 3) {
                VarScope scope = scope(readByte());
                String name = name();
                actions.add(Action.setVar(scope, name, typedValue()));
            }
            else if (type == 2 && count == 2) {
                VarScope scope = scope(readByte());
                actions.add(Action.unsetVar(scope, name()));
            }
            else {
                throw invalid("unknown action type " + type + " with " + count + " arguments");
            }
        }
        return actions;
    }

    private static VarScope scope(int id) {
        for (VarScope scope : VarScope.values()) {
            if (scope.id() == id) {
                return scope;
            }
        }
        throw invalid("unknown variable scope " + id);
    }

    private int length() {
        long length = varint();
        if (length > limit - position[0] || length < 0) {
            throw invalid("length " + Long.toUnsignedString(length) + " exceeds the frame");
        }
        return (int) length;
    }

    private void skipFixed(int length) {
        if (limit - position[0] < length) {
            throw invalid("truncated address");
        }
        position[0] += length;
    }

    private byte[] fixed(int length) {
        if (limit - position[0] < length) {
            throw invalid("truncated address");
        }
        byte[] bytes = new byte[length];
        System.arraycopy(data, position[0], bytes, 0, length);
        position[0] += length;
        return bytes;
    }

    private static SpopProtocolException invalid(String message) {
        return new SpopProtocolException(SpopStatus.INVALID_FRAME, message);
    }

    /** Decodes names, reusing the String of a recently seen identical name. */
    static final class NameCache {
        private static final int SLOTS = 64;
        private final byte[][] keys = new byte[SLOTS][];
        private final String[] values = new String[SLOTS];

        String get(byte[] data, int offset, int length) {
            if (length == 0) {
                return "";
            }
            if (length > 64) {
                return new String(data, offset, length, StandardCharsets.UTF_8);
            }
            int hash = TypedValue.Bytes.hash(data, offset, length);
            int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
            byte[] key = keys[slot];
            if (key != null && java.util.Arrays.equals(key, 0, key.length, data, offset, offset + length)) {
                return values[slot];
            }
            String value = new String(data, offset, length, StandardCharsets.UTF_8);
            keys[slot] = java.util.Arrays.copyOfRange(data, offset, offset + length);
            values[slot] = value;
            return value;
        }
    }
}
