package io.spoepolicy.policy.waf;

import io.spoepolicy.policy.waf.regex.dfa.LazyDfaStats;
import io.spoepolicy.policy.waf.rules.RuleSet;

/**
 * Compiled rules with the report of how loading went. Immutable, shared by engines.
 *
 * @param regexDfaCache live counters of the rules' lazily built {@code @rx} DFAs (cache resets,
 *     patterns left to RE2J), for the Actuator endpoint
 */
public record WafRules(RuleSet ruleSet, WafLoadReport report, LazyDfaStats regexDfaCache) {

    public WafRules {
        regexDfaCache = regexDfaCache == null ? new LazyDfaStats() : regexDfaCache;
    }

    /** Without lazy DFA counters (rules built without {@code @rx} DFAs, tests). */
    public WafRules(RuleSet ruleSet, WafLoadReport report) {
        this(ruleSet, report, null);
    }
}
