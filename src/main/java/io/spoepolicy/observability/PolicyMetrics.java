package io.spoepolicy.observability;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import io.spoepolicy.policy.Decision;
import io.spoepolicy.policy.Outcome;
import io.spoepolicy.policy.PolicyListener;
import io.spoepolicy.policy.PolicyRequest;
import io.spoepolicy.policy.Verdict;
import io.spoepolicy.protocol.TypedValue;

/**
 * Policy meters: what each policy decided and how long it took, what each message finally got,
 * policy failures, and WAF rule matches. Tags are policy names, verdicts, the policies' own reason
 * tokens and rule ids, each capped to a bounded set; nothing from the request is used as a tag.
 * Rate-limit rejections and authentication failures are the {@code deny} decisions of those
 * policies, by reason.
 */
public final class PolicyMetrics implements PolicyListener {

    private static final Verdict[] VERDICTS = Verdict.values();

    private final MeterRegistry registry;
    private final int maxTagValues;
    private final String ruleIdsVariable;
    private final boolean durationHistogram;
    private final BoundedTagValues<PolicyMeters> policies;
    private final BoundedTagValues<MessageMeters> messages;
    private final BoundedTagValues<Counter> ruleMatches;

    public PolicyMetrics(MeterRegistry registry, ObservabilityProperties.Metrics properties) {
        this.registry = registry;
        this.maxTagValues = properties.maxTagValues();
        this.ruleIdsVariable = properties.ruleIdsVariable();
        this.durationHistogram = properties.policyDurationHistogram();
        this.policies = new BoundedTagValues<>(maxTagValues, PolicyMeters::new);
        this.messages = new BoundedTagValues<>(maxTagValues, MessageMeters::new);
        this.ruleMatches = new BoundedTagValues<>(Math.max(1, properties.maxRuleIds()), rule ->
                Counter.builder("spoe.waf.rule.matches")
                        .description("Requests on which a WAF rule matched, by rule id")
                        .tag("rule", rule).register(registry));
    }

    @Override
    public void decided(PolicyRequest request, String policy, Decision decision, long nanos) {
        PolicyMeters meters = policies.get(policy);
        int verdict = decision.verdict().ordinal();
        meters.duration(verdict).record(nanos, TimeUnit.NANOSECONDS);
        meters.decisions[verdict].get(decision.reason()).increment();
        if (decision.variables().get(ruleIdsVariable) instanceof TypedValue.StringValue ids) {
            countRules(ids.asString());
        }
    }

    /** Counts each id in a space- or comma-separated list; tokens that are not ids count as other. */
    private void countRules(String ids) {
        int start = -1;
        for (int i = 0; i <= ids.length(); i++) {
            boolean separator = i == ids.length() || ids.charAt(i) == ' ' || ids.charAt(i) == ',';
            if (!separator) {
                if (start < 0) {
                    start = i;
                }
                continue;
            }
            if (start >= 0) {
                String id = ids.substring(start, i);
                ruleMatches.get(isRuleId(id) ? id : BoundedTagValues.OTHER).increment();
                start = -1;
            }
        }
    }

    private static boolean isRuleId(String token) {
        if (token.length() > 10) {
            return false;
        }
        for (int i = 0; i < token.length(); i++) {
            if (token.charAt(i) < '0' || token.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    @Override
    public void failed(PolicyRequest request, String policy, String error, Throwable cause) {
        policies.get(policy).errors.get(error).increment();
    }

    @Override
    public void completed(PolicyRequest request, Outcome outcome, long nanos) {
        MessageMeters meters = messages.get(request.messageName());
        BoundedTagValues<Counter> counters = outcome.isError() ? meters.error
                : meters.byVerdict[outcome.decision().verdict().ordinal()];
        counters.get(outcome.policy()).increment();
    }

    /** The meters of one policy; a verdict's meters appear when the policy first returns it. */
    private final class PolicyMeters {
        private final String policy;
        private final AtomicReferenceArray<Timer> durations = new AtomicReferenceArray<>(VERDICTS.length);
        @SuppressWarnings("unchecked")
        final BoundedTagValues<Counter>[] decisions = new BoundedTagValues[VERDICTS.length];
        final BoundedTagValues<Counter> errors;

        PolicyMeters(String policy) {
            this.policy = policy;
            for (Verdict verdict : VERDICTS) {
                String action = MeterNames.tagValue(verdict);
                decisions[verdict.ordinal()] = new BoundedTagValues<>(maxTagValues, reason ->
                        Counter.builder("spoe.policy.decisions")
                                .description("Decisions of each policy, by verdict and the policy's reason")
                                .tag("policy", policy).tag("action", action).tag("reason", reason)
                                .register(registry));
            }
            errors = new BoundedTagValues<>(maxTagValues, error -> Counter.builder("spoe.policy.errors")
                    .description("Policy runs that ended without a decision (agent_error), by kind")
                    .tag("policy", policy).tag("error", error).register(registry));
        }

        Timer duration(int verdict) {
            Timer timer = durations.get(verdict);
            if (timer == null) {
                // Registering twice returns the same timer, so a race is harmless.
                Timer.Builder builder = Timer.builder("spoe.policy.duration")
                        .description("Time one policy took to decide, by policy and verdict")
                        .tag("policy", policy).tag("action", MeterNames.tagValue(VERDICTS[verdict]));
                if (durationHistogram) {
                    // Every decision of every policy lands in a bucket: worth it only when
                    // percentiles by policy are wanted (policy-duration-histogram).
                    builder.serviceLevelObjectives(MeterNames.LATENCY_BUCKETS)
                            .minimumExpectedValue(MeterNames.LATENCY_MIN)
                            .maximumExpectedValue(MeterNames.LATENCY_MAX);
                }
                timer = builder.register(registry);
                durations.set(verdict, timer);
            }
            return timer;
        }
    }

    /** The outcome counters of one message name, by final action and deciding policy. */
    private final class MessageMeters {
        private final String message;
        @SuppressWarnings("unchecked")
        final BoundedTagValues<Counter>[] byVerdict = new BoundedTagValues[VERDICTS.length];
        final BoundedTagValues<Counter> error;

        MessageMeters(String message) {
            this.message = message;
            for (Verdict verdict : VERDICTS) {
                byVerdict[verdict.ordinal()] = outcomeCounters(MeterNames.tagValue(verdict));
            }
            this.error = outcomeCounters("error");
        }

        private BoundedTagValues<Counter> outcomeCounters(String action) {
            return new BoundedTagValues<>(maxTagValues, policy -> Counter.builder("spoe.decisions")
                    .description("Final outcome sent to HAProxy per message: action and deciding policy")
                    .tag("message", message).tag("action", action).tag("policy", policy)
                    .register(registry));
        }
    }
}
