package io.spoepolicy.policy.waf;

import io.spoepolicy.policy.waf.operator.Operator;
import io.spoepolicy.policy.waf.rules.Rule;
import java.util.function.UnaryOperator;

/**
 * Swaps the operator of every loaded rule, to count, time or neutralise what the operators do
 * without touching the engine.
 */
public final class RuleOperators {

    private RuleOperators() {
    }

    /** Wraps every operator of every rule (chains included) in place, before the engine is built. */
    public static void wrapAll(WafRules rules, UnaryOperator<Operator> wrap) {
        for (int phase = 1; phase <= 5; phase++) {
            Rule[] program = rules.ruleSet().phase(phase).rules();
            for (int i = 0; i < program.length; i++) {
                program[i] = rewrap(program[i], wrap);
            }
        }
    }

    private static Rule rewrap(Rule r, UnaryOperator<Operator> wrap) {
        if (r == null) {
            return null;
        }
        return new Rule(r.id(), r.phase(), r.source(), r.targets(), r.exclusions(), r.transforms(),
                r.operator() == null ? null : wrap.apply(r.operator()), r.negated(), r.actions(),
                rewrap(r.chained(), wrap));
    }
}
