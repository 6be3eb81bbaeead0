package io.spoepolicy.policy.waf.rules;

import io.spoepolicy.policy.waf.operator.Operator;
import io.spoepolicy.policy.waf.transform.TransformChain;
import java.util.List;

/**
 * A compiled {@code SecRule} or {@code SecAction} (which has no targets and always matches), with
 * the rest of its chain in {@code chained}. Chain links carry id 0 and the starter's phase.
 *
 * @param id rule id ({@code 0} for chain links)
 * @param phase 1 (headers) or 2 (body); both run for every request here
 * @param source file and line it was read from, for reports
 * @param targets variables inspected; empty for {@code SecAction}
 * @param exclusions variables excluded with {@code !VAR:key}
 * @param transforms transformations applied to each value before the operator
 * @param operator the operator, or {@code null} for {@code SecAction}
 * @param negated whether the operator result is inverted ({@code !@rx})
 * @param actions the actions
 * @param chained the next link of the chain, or {@code null}
 */
public record Rule(
        long id,
        int phase,
        String source,
        List<Target> targets,
        List<Target> exclusions,
        TransformChain transforms,
        Operator operator,
        boolean negated,
        RuleActions actions,
        Rule chained) {

    public Rule {
        targets = List.copyOf(targets);
        exclusions = List.copyOf(exclusions);
    }

    public boolean isAction() {
        return operator == null;
    }

    /** A copy with more exclusions, for {@code SecRuleUpdateTargetById}. */
    public Rule withExclusions(List<Target> more) {
        List<Target> all = new java.util.ArrayList<>(exclusions);
        all.addAll(more);
        return new Rule(id, phase, source, targets, all, transforms, operator, negated, actions, chained);
    }

    /** A copy with more targets, for {@code SecRuleUpdateTargetById}. */
    public Rule withTargets(List<Target> more) {
        List<Target> all = new java.util.ArrayList<>(targets);
        all.addAll(more);
        return new Rule(id, phase, source, all, exclusions, transforms, operator, negated, actions, chained);
    }
}
