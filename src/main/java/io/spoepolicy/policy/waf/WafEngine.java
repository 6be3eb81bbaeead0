package io.spoepolicy.policy.waf;

import io.spoepolicy.policy.waf.eval.RuleEvaluator;
import io.spoepolicy.policy.waf.eval.Transaction;
import io.spoepolicy.policy.waf.request.RequestData;
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
        long budget = settings.limits().timeBudget().toNanos();
        long deadline = budget == 0 ? 0 : System.nanoTime() + budget;
        if (deadline == 0 && budget != 0) {
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
