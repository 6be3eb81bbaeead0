package io.spoepolicy.server;

import java.util.List;

import reactor.core.publisher.Mono;

import io.spoepolicy.protocol.Action;
import io.spoepolicy.protocol.InboundFrame;

/**
 * What the server does with a NOTIFY: compute the actions of its ACK. The returned {@link Mono}
 * should not fail; if it does, the session answers with {@link #failureActions}.
 */
public interface NotifyHandler {

    Mono<List<Action>> handle(InboundFrame.Notify notify, SessionContext session);

    /** The actions of the ACK sent when {@link #handle} failed unexpectedly. */
    List<Action> failureActions(Throwable error);

    /** The harmless action an ACK carries instead of an empty action list, or {@code null}. */
    Action noopAction();
}
