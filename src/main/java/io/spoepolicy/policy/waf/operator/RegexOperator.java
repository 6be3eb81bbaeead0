package io.spoepolicy.policy.waf.operator;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import io.spoepolicy.policy.waf.prefilter.RegexPrefilter;
import io.spoepolicy.policy.waf.regex.dfa.RegexDfa;

/**
 * {@code @rx} on RE2J: linear time in the input, whatever the pattern. Most CRS patterns can only
 * match a value containing one of a few literals; the {@code prefilter} scans for those first and
 * skips RE2J (by far the dearest part of an evaluation) when none occurs. A skipped value is
 * exactly a non-match: nothing is captured and {@code !@rx} sees {@code false}. Then the
 * {@code dfa}, when the pattern has one, answers in one table lookup per character: its "no" is
 * final; its "yes" is final too when it is exact and the rule captures nothing, otherwise (or
 * when a lazily built DFA reached its bound) RE2J runs to confirm and to extract the groups.
 *
 * @param pattern the compiled regex
 * @param prefilter the literal prefilter, or {@code null} to always go on
 * @param dfa the pattern's DFA, or {@code null} to always run RE2J
 */
public record RegexOperator(Pattern pattern, RegexPrefilter prefilter, RegexDfa dfa) implements Operator {

    /** With the prefilter the pattern's literal analysis gives, if any, and no DFA. */
    public RegexOperator(Pattern pattern) {
        this(pattern, RegexPrefilter.forPattern(pattern.pattern()).orElse(null));
    }

    /** Without a DFA. */
    public RegexOperator(Pattern pattern, RegexPrefilter prefilter) {
        this(pattern, prefilter, null);
    }

    @Override
    public boolean matches(String input, OperatorContext context) {
        if (prefilter != null && !prefilter.mayMatch(input)) {
            return false;
        }
        if (dfa != null) {
            int answer = dfa.search(input);
            if (dfaSettles(answer, context.captureEnabled())) {
                return answer == RegexDfa.YES;
            }
        }
        Matcher m = pattern.matcher(input);
        if (!m.find()) {
            return false;
        }
        if (context.captureEnabled()) {
            int groups = Math.min(9, m.groupCount());
            for (int g = 0; g <= groups; g++) {
                String v = m.group(g);
                context.capture(g, v == null ? "" : v);
            }
        }
        return true;
    }

    /**
     * Whether the DFA's {@code answer} is final, so RE2J need not run: a "no" always is; a "yes"
     * only from an exact DFA when the rule captures nothing.
     */
    public boolean dfaSettles(int answer, boolean captures) {
        return answer == RegexDfa.NO || (answer == RegexDfa.YES && dfa.exact() && !captures);
    }
}
