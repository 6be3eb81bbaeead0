package io.spoepolicy.policy.waf.operator;

import com.google.re2j.Pattern;
import io.spoepolicy.policy.waf.WafRegexReport;
import io.spoepolicy.policy.waf.prefilter.RegexPrefilter;
import io.spoepolicy.policy.waf.regex.Re2Reader;
import io.spoepolicy.policy.waf.regex.dfa.DfaCompiler;
import io.spoepolicy.policy.waf.regex.dfa.LazyDfaStats;
import io.spoepolicy.policy.waf.regex.dfa.RegexDfa;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds {@link RegexOperator}s for one rule load: prefilter and DFA once per distinct pattern,
 * and the figures for {@link WafRegexReport}. Load-time only, not thread-safe.
 */
final class RegexCompiler {

    private final RegexOptions options;
    private final Map<String, RegexOperator> byPattern = new HashMap<>();
    private final Map<String, String> withoutDfa = new HashMap<>();
    private final LazyDfaStats lazyStats = new LazyDfaStats();

    RegexCompiler(RegexOptions options) {
        this.options = options;
    }

    /** {@code pattern} compiled by RE2J with DOTALL only. */
    RegexOperator operator(Pattern pattern) {
        return byPattern.computeIfAbsent(pattern.pattern(), p -> new RegexOperator(pattern,
                RegexPrefilter.forPattern(p).orElse(null), options.dfa() ? dfa(p) : null));
    }

    private RegexDfa dfa(String pattern) {
        DfaCompiler.Result r = DfaCompiler.compile(pattern, Re2Reader.DOT_NL, options.dfaMaxStates(),
                options.dfaMaxTableBytes(), lazyStats);
        if (r.dfa() == null) {
            withoutDfa.put(pattern, r.reason());
        }
        return r.dfa();
    }

    /** Live: what the lazily built DFAs of this load did since (cache resets, patterns given up). */
    LazyDfaStats lazyStats() {
        return lazyStats;
    }

    WafRegexReport report() {
        if (!options.dfa()) {
            return new WafRegexReport(byPattern.size(), 0, 0, 0, 0, Map.of(), false);
        }
        int exact = 0;
        int bound = 0;
        int lazy = 0;
        long bytes = 0;
        Map<String, Integer> reasons = new TreeMap<>();
        for (Map.Entry<String, RegexOperator> e : byPattern.entrySet()) {
            RegexDfa d = e.getValue().dfa();
            if (d == null) {
                reasons.merge(withoutDfa.get(e.getKey()).replaceAll("\\d+", "N"), 1, Integer::sum);
            } else {
                bytes += d.tableBytes();
                if (d.lazy()) {
                    lazy++;
                }
                if (d.exact()) {
                    exact++;
                } else {
                    bound++;
                }
            }
        }
        return new WafRegexReport(byPattern.size(), exact, bound, lazy, bytes, reasons, true);
    }
}
