package io.spoepolicy.protocol;

/**
 * SPOP frame types. Ids 0–3 are sent by HAProxy, 101–103 by the agent.
 */
public enum FrameType {

    /** Second and later fragments of a fragmented NOTIFY (HAProxy 2.x only). */
    UNSET(0),
    HAPROXY_HELLO(1),
    HAPROXY_DISCONNECT(2),
    NOTIFY(3),
    AGENT_HELLO(101),
    AGENT_DISCONNECT(102),
    ACK(103);

    private static final FrameType[] BY_ID = new FrameType[256];

    static {
        for (FrameType type : values()) {
            BY_ID[type.id] = type;
        }
    }

    private final int id;

    FrameType(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    /** Returns the type with this wire id, or {@code null} for ids the protocol does not define. */
    public static FrameType fromId(int id) {
        return (id >= 0 && id < BY_ID.length) ? BY_ID[id] : null;
    }
}
