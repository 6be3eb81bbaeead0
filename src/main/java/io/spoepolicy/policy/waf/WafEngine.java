package io.spoepolicy.policy.waf;

import io.spoepolicy.policy.waf.eval.RuleEvaluator;
import io.spoepolicy.policy.waf.eval.Transaction;
import io.spoepolicy.policy.waf.request.RequestData;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/**
 * A compiled WAF: rules plus settings. Immutable and thread-safe; {@link #evaluate} keeps all
 * per-request state in a fresh transaction. Evaluation is CPU-bound and may take milliseconds on
 * large bodies, so callers on an event loop should run it on a worker.
 */
public final class WafEngine {

    private static final String[] SCORE_VARIABLES = {"blocking_inbound_anomaly_score", "anomaly_score"};
    private static final int MAX_MESSAGE = 200;
    /** Evaluation stops this long before a caller's deadline, so that its answer still makes it. */
    private static final long DEADLINE_MARGIN_NANOS = 10_000_000L;

    private final WafRules rules;
    private final WafSettings settings;
    private final RuleEvaluator evaluator;
    private final Map<String, String> initialTx;

    public WafEngine(WafRules rules, WafSettings settings) {
        this.rules = rules;
        this.settings = settings;
        this.evaluator = new RuleEvaluator(rules.ruleSet(), settings.detectOnly());
        this.initialTx = Map.copyOf(settings.initialTx());
    }

    public WafSettings settings() {
        return settings;
    }

    public WafLoadReport loadReport() {
        return rules.report();
    }

    public WafResult evaluate(WafRequest request) {
        return evaluate(request, 0);
    }

    /**
     * Evaluates with an outside deadline as well (a {@link System#nanoTime()} value, 0 for none):
     * the caller's answer is due then, so evaluation ends a little before it with a partial
     * inspection, and does not start at all when the deadline has passed already (the request
     * waited for a worker that long). Evaluation also ends when the thread is interrupted, which
     * is how an abandoned task is cancelled.
     */
    public WafResult evaluate(WafRequest request, long callerDeadlineNanos) {
        long now = System.nanoTime();
        long budget = settings.limits().timeBudget().toNanos();
        long deadline = budget == 0 ? 0 : now + budget;
        if (callerDeadlineNanos != 0) {
            long callerEnd = callerDeadlineNanos - DEADLINE_MARGIN_NANOS;
            if (callerEnd - now <= 0 || Thread.currentThread().isInterrupted()) {
                return new WafResult(WafAction.ALLOW, 0, List.of(), "", false, EnumSet.of(InspectionCap.TIME_BUDGET));
            }
            if (deadline == 0 || callerEnd - deadline < 0) {
                deadline = callerEnd;
            }
        }
        if (deadline == 0 && (budget != 0 || callerDeadlineNanos != 0)) {
            deadline = 1;
        }
        RequestData data = new RequestData(request, settings.limits());
        Transaction tx = new Transaction(data, initialTx, deadline);
        applyExclusions(request, tx);
        evaluator.evaluate(tx);
        boolean wouldDeny = tx.wouldDeny();
        WafAction action = wouldDeny && !settings.detectOnly() ? WafAction.DENY : WafAction.ALLOW;
        String message = tx.message();
        if (message.length() > MAX_MESSAGE) {
            message = message.substring(0, MAX_MESSAGE);
        }
        return new WafResult(action, score(tx), tx.loggedIds(), message, wouldDeny, tx.caps());
    }

    private void applyExclusions(WafRequest request, Transaction tx) {
        if (settings.exclusions().isEmpty()) {
            return;
        }
        String host = request.header("host");
        for (RuleExclusion ex : settings.exclusions()) {
            if (!ex.appliesTo(host, request.path())) {
                continue;
            }
            for (Long id : ex.ruleIds()) {
                tx.removeRuleIds(List.of(new long[] {id, id}));
            }
            for (String tag : ex.tags()) {
                tx.removeTag(tag);
            }
        }
    }

    private static int score(Transaction tx) {
        for (String name : SCORE_VARIABLES) {
            String v = tx.tx(name);
            if (v != null) {
                try {
                    return Integer.parseInt(v.trim());
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

}
