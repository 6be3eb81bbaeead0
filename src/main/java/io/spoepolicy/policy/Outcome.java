package io.spoepolicy.policy;

import java.util.List;

import io.spoepolicy.protocol.Action;

/**
 * The result of running a message through its policy chain.
 *
 * @param decision the deciding decision with every policy's variables merged; {@code null} on error
 * @param policy the deciding policy (the one that denied or bypassed, or failed), or {@code null}
 * @param error the {@code agent_error} value when no decision was reached, else {@code null}
 */
public record Outcome(Decision decision, String policy, String error) {

    public static Outcome decided(Decision decision, String policy) {
        return new Outcome(decision, policy, null);
    }

    public static Outcome failed(String error, String policy) {
        return new Outcome(null, policy, error);
    }

    public boolean isError() {
        return error != null;
    }

    /** The ACK actions that carry this outcome. */
    public List<Action> actions(DecisionContract contract) {
        return isError() ? contract.errorActions(error, policy) : contract.actions(decision, policy);
    }
}
