package io.spoepolicy.policy.waf.rules;

/** The disruptive action of a rule. {@code BLOCK} defers to the anomaly-scoring evaluation. */
public enum Disruptive {
    PASS,
    BLOCK,
    DENY,
    ALLOW
}
