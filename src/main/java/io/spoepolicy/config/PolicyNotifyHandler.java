package io.spoepolicy.config;

import java.util.List;

import reactor.core.publisher.Mono;

import io.spoepolicy.policy.PolicyDispatcher;
import io.spoepolicy.protocol.Action;
import io.spoepolicy.protocol.InboundFrame;
import io.spoepolicy.server.NotifyHandler;
import io.spoepolicy.server.SessionContext;

/** Connects the SPOP server to the policy dispatcher. */
final class PolicyNotifyHandler implements NotifyHandler {

    private final PolicyDispatcher dispatcher;
    private final Action noop;

    PolicyNotifyHandler(PolicyDispatcher dispatcher, boolean noopForEmptyAck) {
        this.dispatcher = dispatcher;
        this.noop = noopForEmptyAck ? dispatcher.contract().noop() : null;
    }

    @Override
    public Mono<List<Action>> handle(InboundFrame.Notify notify, SessionContext session) {
        return dispatcher.dispatch(notify.messages(), session.engineId(), session.warmup());
    }

    @Override
    public List<Action> failureActions(Throwable error) {
        return dispatcher.contract().errorActions("policy-error", null);
    }

    @Override
    public Action noopAction() {
        return noop;
    }
}
