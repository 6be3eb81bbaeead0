package io.spoepolicy.policy.waf.operator;

/** A compiled SecLang operator ({@code @rx}, {@code @pm}, ...). Immutable and thread-safe. */
@FunctionalInterface
public interface Operator {

    /** Whether the (already transformed) value matches, before any {@code !} negation. */
    boolean matches(String input, OperatorContext context);
}
