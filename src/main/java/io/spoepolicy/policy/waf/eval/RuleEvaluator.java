package io.spoepolicy.policy.waf.eval;

import io.spoepolicy.policy.waf.InspectionCap;
import io.spoepolicy.policy.waf.request.Entry;
import io.spoepolicy.policy.waf.rules.Ctl;
import io.spoepolicy.policy.waf.rules.Disruptive;
import io.spoepolicy.policy.waf.rules.Rule;
import io.spoepolicy.policy.waf.rules.RuleSet;
import io.spoepolicy.policy.waf.rules.SetVar;
import io.spoepolicy.policy.waf.rules.Target;
import io.spoepolicy.policy.waf.rules.Variable;
import java.util.List;

/**
 * Runs a {@link RuleSet} over a {@link Transaction} with ModSecurity's semantics: rules in file
 * order per phase, a rule matches when any selected value matches, setvar runs once per matching
 * value, a chain matches when every link does, {@code skipAfter} jumps to a marker, and
 * {@code deny} interrupts unless evaluation is detect-only.
 */
public final class RuleEvaluator {

    private static final int LARGE_VALUE = 4096;

    private final RuleSet rules;
    private final boolean detectOnly;

    public RuleEvaluator(RuleSet rules, boolean detectOnly) {
        this.rules = rules;
        this.detectOnly = detectOnly;
    }

    public void evaluate(Transaction tx) {
        for (int phase : RuleSet.REQUEST_PHASES) {
            if (!runPhase(rules.phase(phase), tx)) {
                return;
            }
        }
    }

    /** Returns false when evaluation must stop (denied, engine switched off, out of time). */
    private boolean runPhase(RuleSet.PhaseProgram program, Transaction tx) {
        Rule[] steps = program.rules();
        int i = 0;
        while (i < steps.length) {
            Rule rule = steps[i];
            if (rule == null || tx.isRemoved(rule)) {
                i++;
                continue;
            }
            if (tx.outOfTime()) {
                tx.request().addCap(InspectionCap.TIME_BUDGET);
                return false;
            }
            tx.beginRule(rule);
            if (evaluateLink(rule, rule, tx)) {
                if (!onMatch(rule, tx)) {
                    return false;
                }
                String skip = rule.actions().skipAfter();
                if (skip != null) {
                    i = program.indexAfter(skip);
                    continue;
                }
            }
            i++;
        }
        return true;
    }

    private boolean evaluateLink(Rule starter, Rule link, Transaction tx) {
        tx.beginLink(link);
        boolean matched = false;
        if (link.isAction()) {
            matched = true;
            runSetVars(link, tx);
        } else {
            for (Target target : link.targets()) {
                matched |= evaluateTarget(starter, link, target, tx);
            }
        }
        tx.endLink();
        if (!matched) {
            return false;
        }
        return link.chained() == null || evaluateLink(starter, link.chained(), tx);
    }

    private boolean evaluateTarget(Rule starter, Rule link, Target target, Transaction tx) {
        Variable variable = target.variable();
        List<Entry> entries = tx.values(variable);
        if (target.count()) {
            int count = 0;
            for (Entry e : entries) {
                if (target.selects(e.key())) {
                    count++;
                }
            }
            return test(link, variable.name(), Integer.toString(count), tx);
        }
        boolean matched = false;
        // MATCHED_VARS may be replaced while we iterate it; entries is a stable snapshot.
        for (Entry e : entries) {
            if (!target.selects(e.key()) || tx.excluded(starter, link, variable, e.key())) {
                continue;
            }
            // Large values cost one linear regex scan each: check the budget between them too,
            // so a rule over many big arguments cannot overrun it by much.
            if (e.value().length() > LARGE_VALUE && tx.outOfTime()) {
                tx.request().addCap(InspectionCap.TIME_BUDGET);
                return matched;
            }
            String name = variable.isCollection() ? variable.name() + ":" + e.key() : variable.name();
            if (variable == Variable.MATCHED_VARS) {
                name = e.key();
            }
            matched |= test(link, name, e.value(), tx);
        }
        return matched;
    }

    private boolean test(Rule link, String name, String value, Transaction tx) {
        List<String> stages = tx.stages(link.transforms(), value);
        if (link.actions().multiMatch()) {
            for (String stage : stages) {
                if (testOne(link, name, stage, tx)) {
                    return true;
                }
            }
            return false;
        }
        return testOne(link, name, stages.get(stages.size() - 1), tx);
    }

    private boolean testOne(Rule link, String name, String value, Transaction tx) {
        if (link.operator().matches(value, tx) == link.negated()) {
            return false;
        }
        tx.recordMatch(name, value);
        runSetVars(link, tx);
        return true;
    }

    private static void runSetVars(Rule link, Transaction tx) {
        for (SetVar sv : link.actions().setVars()) {
            String name = tx.expand(sv.name());
            String key = name.regionMatches(true, 0, "tx.", 0, 3) ? name.substring(3) : name;
            switch (sv.op()) {
                case DELETE -> tx.deleteTx(key);
                case SET -> tx.setTx(key, tx.expand(sv.value()));
                case ADD, SUBTRACT -> {
                    long current = toLong(tx.tx(key));
                    long delta = toLong(tx.expand(sv.value()));
                    tx.setTx(key, Long.toString(sv.op() == SetVar.Op.ADD ? current + delta : current - delta));
                }
            }
        }
    }

    /** Applies a full chain match; returns false when evaluation must stop. */
    private boolean onMatch(Rule starter, Transaction tx) {
        for (Rule link = starter; link != null; link = link.chained()) {
            for (Ctl ctl : link.actions().ctls()) {
                tx.applyCtl(ctl);
            }
        }
        String message = starter.actions().msg() == null ? null : tx.expand(starter.actions().msg());
        if (starter.actions().log() && starter.id() != 0) {
            tx.logged(starter.id(), message);
        }
        if (tx.engineOff()) {
            return false;
        }
        if (starter.actions().disruptive() == Disruptive.DENY) {
            tx.denied(message == null ? "denied by rule " + starter.id() : message);
            return detectOnly;
        }
        if (starter.actions().disruptive() == Disruptive.ALLOW) {
            return false;
        }
        return true;
    }

    static long toLong(String s) {
        if (s == null) {
            return 0;
        }
        String t = s.trim();
        int end = 0;
        if (end < t.length() && (t.charAt(end) == '-' || t.charAt(end) == '+')) {
            end++;
        }
        while (end < t.length() && Character.isDigit(t.charAt(end))) {
            end++;
        }
        try {
            return end == 0 || (end == 1 && !Character.isDigit(t.charAt(0))) ? 0 : Long.parseLong(t.substring(0, end));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
