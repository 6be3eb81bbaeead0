package io.spoepolicy.server;

/** Why a connection ended; a metrics tag, so the set is small and fixed. */
public enum CloseReason {
    /** HAProxy sent HAPROXY-DISCONNECT. */
    HAPROXY_DISCONNECT,
    /** The peer closed or reset the connection without a DISCONNECT (normal for 3.1+ pools). */
    PEER_CLOSED,
    /** A health check completed. */
    HEALTHCHECK,
    /** The agent closed a quiet connection while draining (or after its idle limit). */
    AGENT_DRAINED,
    /** The agent refused or failed the peer with a non-zero status. */
    PROTOCOL_ERROR,
    /** No HELLO arrived in time. */
    HELLO_TIMEOUT,
    /** The drain deadline passed with the connection still busy. */
    DRAIN_DEADLINE,
    /** The connection limit was reached. */
    REJECTED
}
