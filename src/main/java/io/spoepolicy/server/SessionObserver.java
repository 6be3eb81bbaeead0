package io.spoepolicy.server;

import io.spoepolicy.protocol.InboundFrame;
import io.spoepolicy.protocol.SpopStatus;

/**
 * Observes SPOP sessions for metrics and logs. Methods run on the connection's event loop and
 * must be cheap and non-blocking. Every method has an empty default so observers implement only
 * what they need.
 */
public interface SessionObserver {

    SessionObserver NONE = new SessionObserver() {
    };

    default void connectionOpened(SessionInfo session) {
    }

    default void connectionClosed(SessionInfo session, CloseReason reason) {
    }

    /** A HELLO was answered with AGENT-HELLO. */
    default void handshakeCompleted(SessionInfo session) {
    }

    /** A frame of this type id was received ({@code bytes} includes the length prefix). */
    default void frameReceived(int type, int bytes) {
    }

    /** A frame of this type id was sent. */
    default void frameSent(int type, int bytes) {
    }

    /** A NOTIFY was acknowledged, {@code nanos} after it was received. */
    default void notifyAcknowledged(SessionContext session, long nanos) {
    }

    /**
     * A NOTIFY was acknowledged, {@code nanos} after it was received; gives access to its message
     * names (for latency by message). The session calls this one; by default it forwards to
     * {@link #notifyAcknowledged(SessionContext, long)}.
     */
    default void notifyAcknowledged(SessionContext session, InboundFrame.Notify notify, long nanos) {
        notifyAcknowledged(session, nanos);
    }

    /** A NOTIFY that arrived in several fragments was reassembled. */
    default void fragmentedNotifyReceived() {
    }

    /** A fragmented NOTIFY was aborted by HAProxy or rejected for size. */
    default void fragmentDropped(boolean rejectedBySize) {
    }

    /** An ACK had to lose actions to fit the negotiated frame size. */
    default void ackTrimmed() {
    }

    /** The agent sent AGENT-DISCONNECT with this status (for errors, refusals and drains). */
    default void disconnectSent(SpopStatus status) {
    }

    /** HAProxy sent HAPROXY-DISCONNECT with this status (codes the table lacks are UNKNOWN). */
    default void disconnectReceived(SpopStatus status) {
    }
}
