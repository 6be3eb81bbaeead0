package io.spoepolicy.observability;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import io.spoepolicy.policy.Decision;
import io.spoepolicy.policy.Outcome;
import io.spoepolicy.policy.PolicyRequest;
import io.spoepolicy.testkit.MessageBuilder;

import static org.assertj.core.api.Assertions.assertThat;

class PolicyMetricsTest {

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final PolicyMetrics metrics = new PolicyMetrics(registry,
            new ObservabilityProperties.Metrics(4, "waf_rules", 3, false));
    private final PolicyRequest request = new PolicyRequest(MessageBuilder.checkRequest().ip("10.0.0.1").build(), "e");

    @Test
    void countsDecisionsByPolicyVerdictAndReasonWithLatency() {
        metrics.decided(request, "ip-access", Decision.allow(), 2_000);
        metrics.decided(request, "ip-access", Decision.deny(403, "ip-denied"), 3_000);
        metrics.decided(request, "jwt", Decision.deny(401, "token-expired"), 5_000_000);

        assertThat(registry.get("spoe.policy.decisions").tags("policy", "ip-access", "action", "allow", "reason", "none")
                .counter().count()).isEqualTo(1);
        assertThat(registry.get("spoe.policy.decisions").tags("policy", "ip-access", "action", "deny", "reason", "ip-denied")
                .counter().count()).isEqualTo(1);
        assertThat(registry.get("spoe.policy.decisions").tags("policy", "jwt", "action", "deny", "reason", "token-expired")
                .counter().count()).isEqualTo(1);
        assertThat(registry.get("spoe.policy.duration").tags("policy", "jwt", "action", "deny").timer()
                .totalTime(TimeUnit.MILLISECONDS)).isEqualTo(5.0);
    }

    @Test
    void reasonsFromAPolicyAreBounded() {
        for (int i = 0; i < 50; i++) {
            metrics.decided(request, "chatty", Decision.deny(403, "reason-" + i), 1_000);
        }
        assertThat(registry.find("spoe.policy.decisions").tag("policy", "chatty").counters()).hasSize(5);
        assertThat(registry.get("spoe.policy.decisions").tags("policy", "chatty", "reason", "other").counter().count())
                .isEqualTo(46);
    }

    @Test
    void countsFinalOutcomesAndErrors() {
        metrics.completed(request, Outcome.decided(Decision.allow(), null), 1_000);
        metrics.completed(request, Outcome.decided(Decision.deny(429, "rate-limited"), "rate-limit"), 1_000);
        metrics.failed(request, "jwt", "timeout", null);
        metrics.completed(request, Outcome.failed("timeout", "jwt"), 1_000);

        assertThat(registry.get("spoe.decisions").tags("message", "check-request", "action", "allow", "policy", "none")
                .counter().count()).isEqualTo(1);
        assertThat(registry.get("spoe.decisions").tags("action", "deny", "policy", "rate-limit").counter().count())
                .isEqualTo(1);
        assertThat(registry.get("spoe.decisions").tags("action", "error", "policy", "jwt").counter().count())
                .isEqualTo(1);
        assertThat(registry.get("spoe.policy.errors").tags("policy", "jwt", "error", "timeout").counter().count())
                .isEqualTo(1);
    }

    @Test
    void countsRuleIdsFromTheDecisionVariableAsABoundedSet() {
        metrics.decided(request, "waf", Decision.deny(403, "waf").withVariable("waf_rules", "942100 941110,942100"), 1_000);
        metrics.decided(request, "waf", Decision.allow().withVariable("waf_rules", "920350 1 2 x<script>"), 1_000);

        assertThat(registry.get("spoe.waf.rule.matches").tag("rule", "942100").counter().count()).isEqualTo(2);
        assertThat(registry.get("spoe.waf.rule.matches").tag("rule", "941110").counter().count()).isEqualTo(1);
        assertThat(registry.get("spoe.waf.rule.matches").tag("rule", "920350").counter().count()).isEqualTo(1);
        // Three ids at most: 1 and 2 overflow, a token that is no id is never a tag value.
        assertThat(registry.get("spoe.waf.rule.matches").tag("rule", "other").counter().count()).isEqualTo(3);
        assertThat(registry.find("spoe.waf.rule.matches").counters()).hasSize(4);
    }

    @Test
    void perPolicyLatencyBucketsOnlyWhenConfigured() {
        metrics.decided(request, "ip-access", Decision.allow(), 2_000);
        assertThat(registry.get("spoe.policy.duration").tags("policy", "ip-access").timer().takeSnapshot()
                .histogramCounts()).as("default: count, sum and max only").isEmpty();

        MeterRegistry withBuckets = new SimpleMeterRegistry();
        new PolicyMetrics(withBuckets, new ObservabilityProperties.Metrics(4, "waf_rules", 3, false, true))
                .decided(request, "ip-access", Decision.allow(), 2_000);
        assertThat(withBuckets.get("spoe.policy.duration").tags("policy", "ip-access").timer().takeSnapshot()
                .histogramCounts()).hasSize(13);
    }
}
