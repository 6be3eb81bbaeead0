package io.spoepolicy.policy.waf.eval;

import com.google.re2j.Pattern;
import io.spoepolicy.policy.waf.InspectionCap;
import io.spoepolicy.policy.waf.eval.LinkPlan.SetVarPlan;
import io.spoepolicy.policy.waf.eval.LinkPlan.TargetPlan;
import io.spoepolicy.policy.waf.request.Entry;
import io.spoepolicy.policy.waf.rules.Ctl;
import io.spoepolicy.policy.waf.rules.Disruptive;
import io.spoepolicy.policy.waf.rules.Rule;
import io.spoepolicy.policy.waf.rules.RuleSet;
import io.spoepolicy.policy.waf.rules.SetVar;
import io.spoepolicy.policy.waf.rules.Target;
import io.spoepolicy.policy.waf.rules.Variable;
import io.spoepolicy.policy.waf.transform.TransformChain;
import io.spoepolicy.policy.waf.transform.TransformTree;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs a {@link RuleSet} over a {@link Transaction} with ModSecurity's semantics: rules in file
 * order per phase, a rule matches when any selected value matches, setvar runs once per matching
 * value, a chain matches when every link does, {@code skipAfter} jumps to a marker, and
 * {@code deny} interrupts unless evaluation is detect-only.
 *
 * <p>Everything per-rule constant is resolved here once ({@link LinkPlan}); per request the work
 * is the operator calls plus array lookups, and transformations are computed once per (value,
 * chain prefix) by the transaction, whichever rule asks first.
 */
public final class RuleEvaluator {

    /** Values this long cost a linear scan each: the time budget is checked before each of them. */
    private static final int LARGE_VALUE = 4096;
    /** Rules between two clock reads when the inspected values are small. */
    private static final int RULES_PER_CLOCK_READ = 8;
    /** Characters handed to operators between two clock reads, whatever the rule count. */
    private static final int WORK_PER_CLOCK_READ = 16 * 1024;

    private final RuleSet rules;
    private final boolean detectOnly;
    private final TransformTree transforms;
    private final KeySelector[] selectors;
    private final LinkPlan[][] plans = new LinkPlan[RuleSet.REQUEST_PHASES.length][];

    public RuleEvaluator(RuleSet rules, boolean detectOnly) {
        this.rules = rules;
        this.detectOnly = detectOnly;
        List<TransformChain> chains = new ArrayList<>();
        for (int phase : RuleSet.REQUEST_PHASES) {
            for (Rule starter : rules.phase(phase).rules()) {
                for (Rule link = starter; link != null; link = link.chained()) {
                    chains.add(link.transforms());
                }
            }
        }
        this.transforms = TransformTree.of(chains);
        Map<String, Integer> selectorIds = new HashMap<>();
        List<Pattern> selectorList = new ArrayList<>();
        for (int p = 0; p < RuleSet.REQUEST_PHASES.length; p++) {
            Rule[] steps = rules.phase(RuleSet.REQUEST_PHASES[p]).rules();
            LinkPlan[] phasePlans = new LinkPlan[steps.length];
            for (int i = 0; i < steps.length; i++) {
                phasePlans[i] = steps[i] == null ? null : plan(steps[i], selectorIds, selectorList);
                String skip = steps[i] == null ? null : steps[i].actions().skipAfter();
                if (skip != null) {
                    phasePlans[i] = phasePlans[i].withSkipTo(rules.phase(RuleSet.REQUEST_PHASES[p]).indexAfter(skip));
                }
            }
            plans[p] = phasePlans;
        }
        this.selectors = selectorList.stream().map(KeySelector::of).toArray(KeySelector[]::new);
    }

    /** Transformation prefix tree of the rules: sizes the transaction's per-value caches. */
    public TransformTree transforms() {
        return transforms;
    }

    /** Number of distinct collection key patterns: sizes the transaction's selector caches. */
    public int selectorCount() {
        return selectors.length;
    }

    public void evaluate(Transaction tx) {
        tx.bind(transforms, selectors);
        for (int p = 0; p < RuleSet.REQUEST_PHASES.length; p++) {
            if (!runPhase(rules.phase(RuleSet.REQUEST_PHASES[p]), plans[p], tx)) {
                return;
            }
        }
    }

    /** Returns false when evaluation must stop (denied, engine switched off, out of time). */
    private boolean runPhase(RuleSet.PhaseProgram program, LinkPlan[] phasePlans, Transaction tx) {
        int i = 0;
        int sinceClock = 0;
        while (i < phasePlans.length) {
            LinkPlan plan = phasePlans[i];
            if (plan == null || tx.isRemoved(plan.rule()) || (plan.skipWhenEmpty() && allEmpty(plan, tx))) {
                i++;
                continue;
            }
            if (++sinceClock >= RULES_PER_CLOCK_READ || tx.work >= WORK_PER_CLOCK_READ) {
                sinceClock = 0;
                tx.work = 0;
                if (tx.outOfTime()) {
                    tx.request().addCap(InspectionCap.TIME_BUDGET);
                    return false;
                }
            }
            Rule rule = plan.rule();
            tx.beginRule(rule);
            if (evaluateLink(plan, plan, tx)) {
                if (!onMatch(rule, tx)) {
                    return false;
                }
                if (plan.skipTo() >= 0) {
                    i = plan.skipTo();
                    continue;
                }
            }
            i++;
        }
        return true;
    }

    private static boolean allEmpty(LinkPlan plan, Transaction tx) {
        for (TargetPlan t : plan.targets()) {
            if (!tx.isEmpty(t.variable())) {
                return false;
            }
        }
        return true;
    }

    private boolean evaluateLink(LinkPlan starter, LinkPlan link, Transaction tx) {
        tx.beginLink(link.rule());
        boolean matched = false;
        if (link.rule().isAction()) {
            matched = true;
            runSetVars(link, tx);
        } else {
            for (TargetPlan target : link.targets()) {
                matched |= evaluateTarget(starter, link, target, tx);
            }
        }
        tx.endLink();
        if (!matched) {
            return false;
        }
        return link.next() == null || evaluateLink(starter, link.next(), tx);
    }

    private boolean evaluateTarget(LinkPlan starter, LinkPlan link, TargetPlan target, Transaction tx) {
        Variable variable = target.variable();
        if (target.txKey()) {
            return evaluateTxKey(starter, link, target, tx);
        }
        List<Entry> entries = tx.values(variable);
        if (target.count()) {
            int count = 0;
            for (int i = 0, n = entries.size(); i < n; i++) {
                if (selects(target, entries.get(i).key(), tx)) {
                    count++;
                }
            }
            return test(link, target, null, Integer.toString(count), null, tx);
        }
        boolean matched = false;
        // MATCHED_VARS may be replaced while we iterate it; entries is a stable snapshot.
        for (int i = 0, n = entries.size(); i < n; i++) {
            Entry e = entries.get(i);
            if (!selects(target, e.key(), tx) || excluded(starter, link, variable, e.key(), tx)) {
                continue;
            }
            // Large values cost one linear regex scan each: check the budget between them too,
            // so a rule over many big arguments cannot overrun it by much.
            if (e.value().length() > LARGE_VALUE && tx.outOfTime()) {
                tx.request().addCap(InspectionCap.TIME_BUDGET);
                return matched;
            }
            matched |= test(link, target, e.key(), e.value(), e, tx);
        }
        return matched;
    }

    /** {@code TX:name} and {@code &TX:name}: one map lookup. */
    private boolean evaluateTxKey(LinkPlan starter, LinkPlan link, TargetPlan target, Transaction tx) {
        String value = tx.tx(target.key());
        if (target.count()) {
            return test(link, target, null, value == null ? "0" : "1", null, tx);
        }
        if (value == null || excluded(starter, link, Variable.TX, target.key(), tx)) {
            return false;
        }
        return test(link, target, target.key(), value, null, tx);
    }

    private boolean selects(TargetPlan target, String key, Transaction tx) {
        if (target.key() != null) {
            return target.key().equalsIgnoreCase(key);
        }
        return target.selector() < 0 || tx.selects(target.selector(), key);
    }

    /** Whether a value of {@code variable} with {@code key} is excluded for this link. */
    private boolean excluded(LinkPlan starter, LinkPlan link, Variable variable, String key, Transaction tx) {
        for (TargetPlan t : link.exclusions()) {
            if (t.variable() == variable && selects(t, key, tx)) {
                return true;
            }
        }
        return tx.excludedByCtl(starter.rule(), variable, key);
    }

    /**
     * Transforms and tests one value. {@code key} is the collection key (for the matched name,
     * built only on a match), {@code null} for scalars and counts.
     */
    private boolean test(LinkPlan link, TargetPlan target, String key, String value, Entry entry, Transaction tx) {
        tx.work += value.length();
        if (link.rule().actions().multiMatch()) {
            return testStages(link, target, key, value, entry, tx);
        }
        String transformed = entry != null ? tx.transformed(entry, link.transformNode())
                : tx.transformed(value, link.transformNode());
        return testOne(link, target, key, transformed, tx);
    }

    /** multiMatch: the raw value and every transformation result that differs from the previous. */
    private boolean testStages(LinkPlan link, TargetPlan target, String key, String value, Entry entry,
            Transaction tx) {
        if (testOne(link, target, key, value, tx)) {
            return true;
        }
        String previous = value;
        for (int node : link.transformPath()) {
            String stage = entry != null ? tx.transformed(entry, node) : tx.transformed(value, node);
            if (!stage.equals(previous) && testOne(link, target, key, stage, tx)) {
                return true;
            }
            previous = stage;
        }
        return false;
    }

    private boolean testOne(LinkPlan link, TargetPlan target, String key, String value, Transaction tx) {
        Rule rule = link.rule();
        if (rule.operator().matches(value, tx) == rule.negated()) {
            return false;
        }
        tx.recordMatch(matchedName(target, key), value);
        runSetVars(link, tx);
        return true;
    }

    private static String matchedName(TargetPlan target, String key) {
        if (target.variable() == Variable.MATCHED_VARS) {
            return key;
        }
        if (key == null || target.namePrefix() == null) {
            return target.variable().name();
        }
        return target.namePrefix().concat(key);
    }

    private static void runSetVars(LinkPlan link, Transaction tx) {
        for (SetVarPlan plan : link.setVars()) {
            SetVar sv = plan.setVar();
            String key = plan.constantKey();
            if (key == null) {
                key = txKey(tx.expand(sv.name()));
            }
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

    private static String txKey(String name) {
        return name.regionMatches(true, 0, "tx.", 0, 3) ? name.substring(3) : name;
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

    // ---- compilation --------------------------------------------------------------------------

    private LinkPlan plan(Rule link, Map<String, Integer> selectorIds, List<Pattern> selectorList) {
        LinkPlan next = link.chained() == null ? null : plan(link.chained(), selectorIds, selectorList);
        TargetPlan[] targets = targetPlans(link.targets(), selectorIds, selectorList);
        TargetPlan[] exclusions = targetPlans(link.exclusions(), selectorIds, selectorList);
        boolean skipWhenEmpty = !link.isAction() && targets.length > 0;
        for (TargetPlan t : targets) {
            skipWhenEmpty &= t.variable().isCollection() && !t.count();
        }
        int node = transforms.node(link.transforms());
        int[] path = new int[transforms.depth(node)];
        for (int n = node, i = path.length - 1; n > 0; n = transforms.parent(n), i--) {
            path[i] = n;
        }
        List<SetVar> setVars = link.actions().setVars();
        SetVarPlan[] setVarPlans = new SetVarPlan[setVars.size()];
        for (int i = 0; i < setVarPlans.length; i++) {
            SetVar sv = setVars.get(i);
            String key = sv.name().isConstant() ? txKey(sv.name().text()).toLowerCase(Locale.ROOT) : null;
            setVarPlans[i] = new SetVarPlan(sv, key);
        }
        return new LinkPlan(link, targets, exclusions, node, path, setVarPlans, skipWhenEmpty, -1, next);
    }

    private static TargetPlan[] targetPlans(List<Target> targets, Map<String, Integer> selectorIds,
            List<Pattern> selectorList) {
        TargetPlan[] out = new TargetPlan[targets.size()];
        for (int i = 0; i < out.length; i++) {
            Target t = targets.get(i);
            int selector = -1;
            if (t.key() == null && t.keyPattern() != null) {
                String id = t.keyPattern().flags() + "/" + t.keyPattern().pattern();
                selector = selectorIds.computeIfAbsent(id, k -> {
                    selectorList.add(t.keyPattern());
                    return selectorList.size() - 1;
                });
            }
            String prefix = t.variable().isCollection() ? t.variable().name() + ":" : null;
            out[i] = new TargetPlan(t, t.variable(), t.key(), selector, prefix);
        }
        return out;
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
