package io.spoepolicy.policy.waf.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.spoepolicy.policy.Decision;
import io.spoepolicy.policy.PolicyRequest;
import io.spoepolicy.policy.Verdict;
import io.spoepolicy.policy.waf.InspectionLimits;
import io.spoepolicy.policy.waf.WafEngine;
import io.spoepolicy.policy.waf.WafRules;
import io.spoepolicy.policy.waf.WafRulesLoader;
import io.spoepolicy.policy.waf.WafSettings;
import io.spoepolicy.protocol.SpopMessage;
import io.spoepolicy.testkit.AgentFrame;
import io.spoepolicy.testkit.MessageBuilder;
import io.spoepolicy.testkit.PolicyTester;

/** The WAF policy behind the real dispatcher: decision, status and the waf_* variables. */
class WafPolicyTest {

    static WafRules rules;

    @BeforeAll
    static void load() throws IOException {
        rules = WafRulesLoader.builtIn(List.of());
    }

    private static PolicyTester tester(WafSettings settings, boolean exportMessage) {
        return PolicyTester.of(new WafPolicy(new WafEngine(rules, settings), 403, exportMessage));
    }

    @Test
    void deniesAnAttackAndReportsScoreAndRules() {
        AgentFrame.Ack ack = tester(WafSettings.DEFAULTS, true).send(MessageBuilder.checkRequest()
                .ip("203.0.113.9").path("/items").query("id=1%27%20or%20%271%27%3D%271")
                .header("host", "shop.example").header("user-agent", "curl/8.5").build());
        assertThat(ack.text("action")).isEqualTo("deny");
        assertThat(ack.text("status")).isEqualTo("403");
        assertThat(ack.text("reason")).isEqualTo("waf-anomaly-score");
        assertThat(ack.text("policy")).isEqualTo("waf");
        assertThat(Integer.parseInt(ack.text("waf_score"))).isGreaterThanOrEqualTo(5);
        assertThat(ack.text("waf_rules")).contains("210100").contains("210990");
        assertThat(ack.text("waf_message")).startsWith("Inbound anomaly score exceeded");
    }

    @Test
    void inspectsTheBodyAndHeaders() {
        AgentFrame.Ack ack = tester(WafSettings.DEFAULTS, false).send(MessageBuilder.checkRequest()
                .method("POST").path("/comment")
                .header("host", "shop.example").header("content-type", "application/x-www-form-urlencoded")
                .body("text=%3Cscript%3Ealert(1)%3C%2Fscript%3E").build());
        assertThat(ack.text("action")).isEqualTo("deny");
        assertThat(ack.text("waf_rules")).contains("210200");
        assertThat(ack.variable("waf_message")).isNull();
    }

    @Test
    void allowsOrdinaryRequestsWithoutWafVariables() {
        AgentFrame.Ack ack = tester(WafSettings.DEFAULTS, true).send(MessageBuilder.checkRequest()
                .path("/products").query("color=blue&size=42").header("host", "shop.example").build());
        assertThat(ack.text("action")).isEqualTo("allow");
        assertThat(ack.variable("waf_score")).isNull();
        assertThat(ack.variable("waf_rules")).isNull();
    }

    @Test
    void detectOnlyAllowsButReportsWhatItWouldHaveDenied() {
        SpopMessage traversal = MessageBuilder.checkRequest()
                .path("/download").query("file=../../etc/passwd").header("host", "shop.example").build();
        AgentFrame.Ack ack = tester(WafSettings.DEFAULTS.withDetectOnly(true), false).send(traversal);
        assertThat(ack.text("action")).isEqualTo("allow");
        // As in CRS detect-only setups, the evaluation rule in waf_rules says it would have denied.
        assertThat(ack.text("waf_rules")).contains("210300").contains("210990");
        // The allow's reason reaches HAProxy, with the detect-only report every policy gives.
        assertThat(ack.text("reason")).isEqualTo("waf-detect-only");
        assertThat(ack.text("detect_policy")).isEqualTo("waf");
        assertThat(ack.text("detect_reason")).isEqualTo("waf-anomaly-score");
        assertThat(ack.text("detect_status")).isEqualTo("403");
        assertThat(ack.variable("status")).as("no deny status on an allow").isNull();
        Decision decision = new WafPolicy(new WafEngine(rules, WafSettings.DEFAULTS.withDetectOnly(true)), 403, false)
                .decide(new PolicyRequest(traversal, "test"));
        assertThat(decision.reason()).isEqualTo("waf-detect-only");
    }

    @Test
    void reportsPartialInspectionWhenACapIsHit() {
        WafSettings capped = new WafSettings(1, 5, false, new InspectionLimits(16, 100, java.time.Duration.ZERO),
                List.of(), Map.of());
        SpopMessage big = MessageBuilder.checkRequest().method("POST").path("/")
                .header("content-type", "application/x-www-form-urlencoded")
                .body("a=" + "x".repeat(100)).build();
        Decision decision = new WafPolicy(new WafEngine(rules, capped), 403, false).decide(new PolicyRequest(big, "test"));
        assertThat(decision.verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(decision.reason()).isEqualTo("waf-partial-inspection");

        Decision strict = new WafPolicy(new WafEngine(rules, capped), 403, false, true).decide(new PolicyRequest(big, "test"));
        assertThat(strict.verdict()).isEqualTo(Verdict.DENY);
        assertThat(strict.reason()).isEqualTo("waf-partial-inspection");
    }

    @Test
    void neverRunsOnTheEventLoop() {
        assertThat(new WafPolicy(new WafEngine(rules, WafSettings.DEFAULTS), 403, false).inline()).isFalse();
    }
}
