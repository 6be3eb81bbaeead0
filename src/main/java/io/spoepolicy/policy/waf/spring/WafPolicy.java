package io.spoepolicy.policy.waf.spring;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

import io.spoepolicy.policy.Decision;
import io.spoepolicy.policy.DecisionContract;
import io.spoepolicy.policy.PolicyDispatcher;
import io.spoepolicy.policy.PolicyRequest;
import io.spoepolicy.policy.SyncSpoePolicy;
import io.spoepolicy.policy.Verdict;
import io.spoepolicy.policy.waf.WafAction;
import io.spoepolicy.policy.waf.WafEngine;
import io.spoepolicy.policy.waf.WafRequest;
import io.spoepolicy.policy.waf.WafResult;

/**
 * The WAF as an SPOE policy: turns a {@code check-request} message into a {@link WafRequest},
 * evaluates it and answers with a decision plus {@code waf_score} and {@code waf_rules}.
 * Evaluation is CPU-bound and grows with the body, so it is never inline: the dispatcher runs it
 * on the bounded policy scheduler, off the SPOP event loops.
 */
public final class WafPolicy implements SyncSpoePolicy {

    public static final String NAME = "waf";
    public static final String SCORE = DecisionContract.WAF_SCORE;
    public static final String RULES = DecisionContract.WAF_RULES;
    public static final String MESSAGE = DecisionContract.WAF_MESSAGE;
    /** Optional message argument with HAProxy's {@code req.ver} ("1.1"); CRS checks the version. */
    public static final String VERSION_ARGUMENT = "version";

    private final WafEngine engine;
    private final int denyStatus;
    private final boolean exportMessage;
    private final boolean denyPartialInspection;

    public WafPolicy(WafEngine engine, int denyStatus, boolean exportMessage) {
        this(engine, denyStatus, exportMessage, false);
    }

    public WafPolicy(WafEngine engine, int denyStatus, boolean exportMessage, boolean denyPartialInspection) {
        this.engine = engine;
        this.denyStatus = denyStatus;
        this.exportMessage = exportMessage;
        this.denyPartialInspection = denyPartialInspection;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean inline() {
        return false;
    }

    @Override
    public Set<String> variables() {
        return exportMessage ? Set.of(SCORE, RULES, MESSAGE) : Set.of(SCORE, RULES);
    }

    /** Pure CPU on the request: warming it up is what makes the first real requests fast. */
    @Override
    public boolean warmsUp() {
        return true;
    }

    @Override
    public Decision decide(PolicyRequest request) {
        Long deadline = request.attribute(PolicyDispatcher.DEADLINE_NANOS, Long.class);
        WafResult result = engine.evaluate(toWafRequest(request), deadline == null ? 0 : deadline);
        Decision decision;
        if (result.action() == WafAction.DENY) {
            decision = Decision.deny(denyStatus, "waf-anomaly-score");
        }
        else if (result.wouldDeny()) {
            // Reported like any policy in detect-only mode (docs/policies.md), so the same
            // HAProxy rule shows what the WAF would have done.
            decision = new Decision(Verdict.ALLOW, 0, "waf-detect-only", Map.of())
                    .withVariable(DecisionContract.DETECT_POLICY, NAME)
                    .withVariable(DecisionContract.DETECT_REASON, "waf-anomaly-score")
                    .withVariable(DecisionContract.DETECT_STATUS, denyStatus);
        }
        else if (!result.capsHit().isEmpty()) {
            decision = denyPartialInspection && !engine.settings().detectOnly()
                    ? Decision.deny(denyStatus, "waf-partial-inspection")
                    : new Decision(Verdict.ALLOW, 0, "waf-partial-inspection", Map.of());
        }
        else {
            decision = Decision.allow();
        }
        if (result.matchedRuleIds().isEmpty() && result.anomalyScore() == 0) {
            return decision;
        }
        decision = decision.withVariable(SCORE, result.anomalyScore())
                .withVariable(RULES, result.matchedRuleIdsText());
        if (exportMessage && !result.message().isEmpty()) {
            decision = decision.withVariable(MESSAGE, result.message());
        }
        return decision;
    }

    static WafRequest toWafRequest(PolicyRequest request) {
        String method = request.method();
        String version = request.string(VERSION_ARGUMENT);
        return new WafRequest(request.clientIp(), method == null ? "GET" : method,
                byteView(request, "path", "/"), byteView(request, "query", ""),
                version == null ? "HTTP/1.1" : "HTTP/" + version,
                request.headers().asList(), request.body());
    }

    /** The argument's octets one char each, as the engine inspects bytes, not decoded text. */
    private static String byteView(PolicyRequest request, String argument, String absent) {
        byte[] bytes = request.bytes(argument);
        return bytes == null ? absent : new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
