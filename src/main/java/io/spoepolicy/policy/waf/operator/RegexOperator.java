package io.spoepolicy.policy.waf.operator;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import io.spoepolicy.policy.waf.prefilter.RegexPrefilter;

/**
 * {@code @rx} on RE2J: linear time in the input, whatever the pattern. Most CRS patterns can only
 * match a value containing one of a few literals; the {@code prefilter} scans for those first and
 * skips RE2J (by far the dearest part of an evaluation) when none occurs. A skipped value is
 * exactly a non-match: nothing is captured and {@code !@rx} sees {@code false}.
 *
 * @param pattern the compiled regex
 * @param prefilter the literal prefilter, or {@code null} to always run the regex
 */
public record RegexOperator(Pattern pattern, RegexPrefilter prefilter) implements Operator {

    /** With the prefilter the pattern's literal analysis gives, if any. */
    public RegexOperator(Pattern pattern) {
        this(pattern, RegexPrefilter.forPattern(pattern.pattern()).orElse(null));
    }

    @Override
    public boolean matches(String input, OperatorContext context) {
        if (prefilter != null && !prefilter.mayMatch(input)) {
            return false;
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
}
