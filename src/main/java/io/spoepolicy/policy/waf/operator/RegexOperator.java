package io.spoepolicy.policy.waf.operator;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;

/** {@code @rx} on RE2J: linear time in the input, whatever the pattern. */
public record RegexOperator(Pattern pattern) implements Operator {

    @Override
    public boolean matches(String input, OperatorContext context) {
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
