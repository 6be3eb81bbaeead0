package io.spoepolicy.protocol;

/**
 * Typed-data kinds: the low nibble of a typed value's type byte. The high nibble carries flags,
 * used only by {@link #BOOL} to hold the value.
 */
public enum DataType {
    NULL(0),
    BOOL(1),
    INT32(2),
    UINT32(3),
    INT64(4),
    UINT64(5),
    IPV4(6),
    IPV6(7),
    STRING(8),
    BINARY(9);

    /** Flag bit of a BOOL type byte that means {@code true}. */
    public static final int BOOL_TRUE_FLAG = 0x10;

    private static final DataType[] BY_ID = values();

    private final int id;

    DataType(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    /** Returns the kind for a type byte's low nibble, or {@code null} for the reserved ids 10–15. */
    public static DataType fromId(int id) {
        return (id >= 0 && id < BY_ID.length) ? BY_ID[id] : null;
    }
}
