package io.spoepolicy.config;

import java.util.List;

import io.spoepolicy.policy.Decision;
import io.spoepolicy.policy.Outcome;
import io.spoepolicy.policy.PolicyListener;
import io.spoepolicy.policy.PolicyRequest;

/** Fans policy events out to every listener bean. */
final class CompositePolicyListener implements PolicyListener {

    private final PolicyListener[] listeners;

    CompositePolicyListener(List<PolicyListener> listeners) {
        this.listeners = listeners.toArray(PolicyListener[]::new);
    }

    @Override
    public void decided(PolicyRequest request, String policy, Decision decision, long nanos) {
        for (PolicyListener listener : listeners) {
            listener.decided(request, policy, decision, nanos);
        }
    }

    @Override
    public void failed(PolicyRequest request, String policy, String error, Throwable cause) {
        for (PolicyListener listener : listeners) {
            listener.failed(request, policy, error, cause);
        }
    }

    @Override
    public void completed(PolicyRequest request, Outcome outcome, long nanos) {
        for (PolicyListener listener : listeners) {
            listener.completed(request, outcome, nanos);
        }
    }
}
