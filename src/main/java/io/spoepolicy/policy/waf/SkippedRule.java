package io.spoepolicy.policy.waf;

/**
 * A rule (or directive) the loader did not load as written.
 *
 * @param ruleId rule id, or 0 for a directive without one
 * @param source file and line
 * @param reason what is unsupported
 */
public record SkippedRule(long ruleId, String source, String reason) {}
