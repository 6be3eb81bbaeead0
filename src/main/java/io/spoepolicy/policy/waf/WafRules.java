package io.spoepolicy.policy.waf;

import io.spoepolicy.policy.waf.rules.RuleSet;

/** Compiled rules with the report of how loading went. Immutable, shared by engines. */
public record WafRules(RuleSet ruleSet, WafLoadReport report) {}
