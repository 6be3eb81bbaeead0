package io.spoepolicy.policy.waf;

import java.util.Map;

/**
 * What compiling the {@code @rx} patterns produced, per distinct pattern.
 *
 * @param patterns distinct {@code @rx} patterns
 * @param exactDfa patterns whose DFA answers alone (RE2J runs only for captures)
 * @param boundDfa patterns whose DFA may over-approximate: its "no" is final, its "yes" is
 *     confirmed by RE2J
 * @param lazyDfa of those with a DFA, how many are built as inputs need (too large to build whole)
 * @param dfaTableBytes heap held by all DFA tables (the lazy ones counted at their bound)
 * @param withoutDfa why the other patterns have none (reason, count); empty when the DFA is off
 * @param dfaEnabled whether DFAs were built at all
 */
public record WafRegexReport(int patterns, int exactDfa, int boundDfa, int lazyDfa, long dfaTableBytes,
        Map<String, Integer> withoutDfa, boolean dfaEnabled) {

    public static final WafRegexReport NONE = new WafRegexReport(0, 0, 0, 0, 0, Map.of(), false);

    public WafRegexReport {
        withoutDfa = Map.copyOf(withoutDfa);
    }

    /** One-line summary for logs. */
    public String summary() {
        if (!dfaEnabled) {
            return patterns + " @rx patterns, DFA off";
        }
        return String.format("%d @rx patterns, DFA for %d (%d exact, %d bounded; %d built lazily), %.1f KB of tables "
                + "at most%s", patterns, exactDfa + boundDfa, exactDfa, boundDfa, lazyDfa, dfaTableBytes / 1024.0,
                withoutDfa.isEmpty() ? "" : ", none for " + withoutDfa);
    }
}
