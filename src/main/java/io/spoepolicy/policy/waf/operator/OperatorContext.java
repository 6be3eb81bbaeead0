package io.spoepolicy.policy.waf.operator;

import io.spoepolicy.policy.waf.rules.Macro;

/** What an operator may use from the request being evaluated. */
public interface OperatorContext {

    /** Expands {@code %{...}} references in an operator parameter. */
    String expand(Macro parameter);

    /** Whether the rule has the {@code capture} action. */
    boolean captureEnabled();

    /** Stores a capture in {@code TX:index} (0..9). */
    void capture(int index, String value);
}
