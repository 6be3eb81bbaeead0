package io.spoepolicy.policy.waf.rules;

import java.util.List;
import java.util.Set;

/**
 * The actions of one rule (or chain link).
 *
 * @param disruptive disruptive action of a chain starter; {@code null} on chain links
 * @param severity severity or {@code null}
 * @param tags tags, for exclusions by tag
 * @param msg message, possibly with macros, or {@code null}
 * @param log whether a match is logged, i.e. reported in the matched rule ids
 * @param capture whether {@code @rx}/{@code @pm} captures go to {@code TX:0..9}
 * @param multiMatch whether the operator runs after every transformation, not only the last
 * @param setVars setvar actions, in order
 * @param ctls ctl actions, in order
 * @param skipAfter marker to jump behind when the rule matches, or {@code null}
 */
public record RuleActions(
        Disruptive disruptive,
        Severity severity,
        Set<String> tags,
        Macro msg,
        boolean log,
        boolean capture,
        boolean multiMatch,
        List<SetVar> setVars,
        List<Ctl> ctls,
        String skipAfter) {

    public RuleActions {
        tags = Set.copyOf(tags);
        setVars = List.copyOf(setVars);
        ctls = List.copyOf(ctls);
    }
}
