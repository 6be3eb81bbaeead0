package io.spoepolicy.policy;

/** What a policy decided about a request. */
public enum Verdict {

    /** No objection: the next policy in the chain is asked. */
    ALLOW,

    /** Allowed, and the remaining policies are skipped (e.g. a trusted network). */
    BYPASS,

    /** Denied: the chain stops and HAProxy's deny rule answers with the decision's status. */
    DENY;

    /** The value of the {@code action} decision variable. */
    public String action() {
        return this == DENY ? "deny" : "allow";
    }
}
