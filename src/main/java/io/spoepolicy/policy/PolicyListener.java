package io.spoepolicy.policy;

/**
 * Observes policy outcomes, for metrics and decision logs. Called on whatever thread the policy
 * completed on; implementations must be cheap and thread-safe.
 */
public interface PolicyListener {

    PolicyListener NONE = new PolicyListener() {
    };

    /** A policy returned a decision after {@code nanos}. */
    default void decided(PolicyRequest request, String policy, Decision decision, long nanos) {
    }

    /** A chain ended without a decision: {@code error} is the {@code agent_error} value. */
    default void failed(PolicyRequest request, String policy, String error, Throwable cause) {
    }

    /** The final outcome for one message. */
    default void completed(PolicyRequest request, Outcome outcome, long nanos) {
    }
}
