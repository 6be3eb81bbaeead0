package io.spoepolicy.server;

/** Life of one SPOP connection. */
public enum SessionState {
    /** Accepted; waiting for HAPROXY-HELLO. */
    HANDSHAKING,
    /** HELLO exchanged; NOTIFYs are served. */
    PROCESSING,
    /** A health-check HELLO was answered; waiting for HAProxy to close. */
    HEALTHCHECK,
    /**
     * No new work is taken: a protocol error waits for in-flight NOTIFYs to be acknowledged before
     * disconnecting, or the agent sent AGENT-DISCONNECT and lingers until HAProxy closes.
     */
    CLOSING,
    CLOSED
}
