package io.spoepolicy.policy.waf.eval;

import io.spoepolicy.policy.waf.rules.Rule;
import io.spoepolicy.policy.waf.rules.SetVar;
import io.spoepolicy.policy.waf.rules.Target;
import io.spoepolicy.policy.waf.rules.Variable;

/**
 * What evaluation needs of one rule or chain link, resolved once when the engine is built: target
 * selectors with interned key patterns, the transformation node, setvar keys without macros, and
 * whether the rule can be skipped when all the collections it reads are empty.
 *
 * @param rule the rule this plans
 * @param targets its targets
 * @param exclusions its static exclusions ({@code !VAR:key})
 * @param transformNode node of its transformation chain in the engine's {@code TransformTree}
 * @param transformPath nodes from the first transformation to {@code transformNode}, for multiMatch
 * @param setVars its setvar actions
 * @param skipWhenEmpty every target is a collection read value by value (no {@code &VAR}): no
 *        values, no match, no side effect
 * @param skipTo index of the phase step after this starter's {@code skipAfter} marker, or -1
 * @param next the next chain link, or {@code null}
 */
record LinkPlan(
        Rule rule,
        TargetPlan[] targets,
        TargetPlan[] exclusions,
        int transformNode,
        int[] transformPath,
        SetVarPlan[] setVars,
        boolean skipWhenEmpty,
        int skipTo,
        LinkPlan next) {

    LinkPlan withSkipTo(int index) {
        return new LinkPlan(rule, targets, exclusions, transformNode, transformPath, setVars, skipWhenEmpty, index, next);
    }

    /**
     * One target or exclusion.
     *
     * @param target the target as parsed
     * @param variable its variable
     * @param key lower-case literal key, or {@code null}
     * @param selector interned id of its key pattern, or -1
     * @param namePrefix {@code VAR:} for collections (the matched name is this plus the key)
     */
    record TargetPlan(Target target, Variable variable, String key, int selector, String namePrefix) {

        boolean count() {
            return target.count();
        }

        /** A {@code TX:name} target: read with one map lookup instead of a scan of TX. */
        boolean txKey() {
            return variable == Variable.TX && key != null;
        }
    }

    /**
     * One setvar.
     *
     * @param setVar the action
     * @param constantKey the TX key (lower-case, without {@code tx.}) when the name has no macro,
     *        else {@code null}
     */
    record SetVarPlan(SetVar setVar, String constantKey) {}
}
