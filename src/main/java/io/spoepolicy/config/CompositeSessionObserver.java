package io.spoepolicy.config;

import java.util.List;

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

    @Override
    public void connectionOpened(SessionInfo session) {
        for (SessionObserver observer : observers) {
            observer.connectionOpened(session);
        }
    }

    @Override
    public void connectionClosed(SessionInfo session, CloseReason reason) {
        for (SessionObserver observer : observers) {
            observer.connectionClosed(session, reason);
        }
    }

    @Override
    public void handshakeCompleted(SessionInfo session) {
        for (SessionObserver observer : observers) {
            observer.handshakeCompleted(session);
        }
    }

    @Override
    public void frameReceived(int type, int bytes) {
        for (SessionObserver observer : observers) {
            observer.frameReceived(type, bytes);
        }
    }

    @Override
    public void frameSent(int type, int bytes) {
        for (SessionObserver observer : observers) {
            observer.frameSent(type, bytes);
        }
    }

    @Override
    public void notifyAcknowledged(SessionContext session, long nanos) {
        for (SessionObserver observer : observers) {
            observer.notifyAcknowledged(session, nanos);
        }
    }

    @Override
    public void notifyAcknowledged(SessionContext session, InboundFrame.Notify notify, long nanos) {
        for (SessionObserver observer : observers) {
            observer.notifyAcknowledged(session, notify, nanos);
        }
    }

    @Override
    public void fragmentedNotifyReceived() {
        for (SessionObserver observer : observers) {
            observer.fragmentedNotifyReceived();
        }
    }

    @Override
    public void fragmentDropped(boolean rejectedBySize) {
        for (SessionObserver observer : observers) {
            observer.fragmentDropped(rejectedBySize);
        }
    }

    @Override
    public void ackTrimmed() {
        for (SessionObserver observer : observers) {
            observer.ackTrimmed();
        }
    }

    @Override
    public void disconnectSent(SpopStatus status) {
        for (SessionObserver observer : observers) {
            observer.disconnectSent(status);
        }
    }

    @Override
    public void disconnectReceived(SpopStatus status) {
        for (SessionObserver observer : observers) {
            observer.disconnectReceived(status);
        }
    }
}
