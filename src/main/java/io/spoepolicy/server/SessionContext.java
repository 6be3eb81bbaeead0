package io.spoepolicy.server;

import java.net.SocketAddress;

/** The connection a NOTIFY arrived on, as seen by a {@link NotifyHandler}. */
public interface SessionContext {

    long id();

    /** HAProxy's engine-id for this connection, or {@code null}. */
    String engineId();

    SocketAddress peer();

    /** True on the agent's own start-up warm-up connection ({@code spoe.server.warmup.*}). */
    default boolean warmup() {
        return false;
    }
}
