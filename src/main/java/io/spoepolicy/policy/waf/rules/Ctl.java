package io.spoepolicy.policy.waf.rules;

import java.util.List;

/**
 * A supported {@code ctl} action, applied to the rest of the current request only.
 *
 * @param kind what it changes
 * @param argument id ranges or tag for removals, processor name or engine mode otherwise
 * @param target target to drop for the {@code ruleRemoveTarget*} kinds, else {@code null}
 */
public record Ctl(Kind kind, String argument, Target target) {

    /** The ctl sub-actions with an effect here. */
    public enum Kind {
        RULE_REMOVE_BY_ID,
        RULE_REMOVE_BY_TAG,
        RULE_REMOVE_TARGET_BY_ID,
        RULE_REMOVE_TARGET_BY_TAG,
        REQUEST_BODY_PROCESSOR,
        RULE_ENGINE,
        /** Accepted and ignored: the body variable is always populated here. */
        NO_OP
    }

    /** Inclusive id ranges of {@code argument} for the by-id kinds, e.g. {@code 1-5 9}. */
    public List<long[]> idRanges() {
        List<long[]> ranges = new java.util.ArrayList<>();
        for (String part : argument.split("[\\s,]+")) {
            if (part.isEmpty()) {
                continue;
            }
            int dash = part.indexOf('-', 1);
            if (dash > 0) {
                ranges.add(new long[] {Long.parseLong(part.substring(0, dash)),
                    Long.parseLong(part.substring(dash + 1))});
            } else {
                long id = Long.parseLong(part);
                ranges.add(new long[] {id, id});
            }
        }
        return ranges;
    }
}
