package io.spoepolicy.policy.waf.operator;

import io.spoepolicy.policy.waf.rules.Macro;

/** Case-sensitive string comparisons whose parameter may contain macros. */
public record StringOperator(Kind kind, Macro parameter) implements Operator {

    /** The comparison. {@code WITHIN} is true when the input occurs inside the parameter. */
    public enum Kind {
        STREQ,
        BEGINS_WITH,
        ENDS_WITH,
        CONTAINS,
        WITHIN
    }

    @Override
    public boolean matches(String input, OperatorContext context) {
        String p = context.expand(parameter);
        boolean match = switch (kind) {
            case STREQ -> input.equals(p);
            case BEGINS_WITH -> input.startsWith(p);
            case ENDS_WITH -> input.endsWith(p);
            case CONTAINS -> input.contains(p);
            case WITHIN -> !input.isEmpty() && p.contains(input);
        };
        if (match && context.captureEnabled()) {
            context.capture(0, kind == Kind.WITHIN ? input : p);
        }
        return match;
    }
}
