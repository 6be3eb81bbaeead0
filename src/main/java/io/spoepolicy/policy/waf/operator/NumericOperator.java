package io.spoepolicy.policy.waf.operator;

import io.spoepolicy.policy.waf.rules.Macro;

/** {@code @eq @ne @gt @ge @lt @le}; non-numeric text counts as 0, like C's atoi. */
public record NumericOperator(Kind kind, Macro parameter) implements Operator {

    /** The comparison of input against parameter. */
    public enum Kind {
        EQ,
        NE,
        GT,
        GE,
        LT,
        LE
    }

    @Override
    public boolean matches(String input, OperatorContext context) {
        long a = toNumber(input);
        long b = toNumber(context.expand(parameter));
        return switch (kind) {
            case EQ -> a == b;
            case NE -> a != b;
            case GT -> a > b;
            case GE -> a >= b;
            case LT -> a < b;
            case LE -> a <= b;
        };
    }

    static long toNumber(String s) {
        int i = 0;
        int n = s.length();
        while (i < n && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < n && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        long v = 0;
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            v = v * 10 + (s.charAt(i) - '0');
            if (v > Integer.MAX_VALUE) {
                v = Integer.MAX_VALUE;
            }
            i++;
        }
        return negative ? -v : v;
    }
}
