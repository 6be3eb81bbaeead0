package io.spoepolicy.testsupport;

import java.net.SocketAddress;

import io.spoepolicy.server.SessionContext;

/**
 * A connection as meters and logs see it, without a channel: for tests and benchmarks that call
 * observers directly.
 */
public record FixedSession(long id, String engineId, SocketAddress peer) implements SessionContext {

    /** Session 1 of engine {@code engine}, no peer address. */
    public static FixedSession first() {
        return new FixedSession(1, "engine", null);
    }
}
