package io.spoepolicy.policy.waf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The engine with the real OWASP CRS loaded from the shared checkout. */
class CrsEngineTest {

    static WafRules crs;

    @BeforeAll
    static void load() throws IOException {
        crs = WafRulesLoader.crs(CrsTestSupport.crs(), List.of());
    }

    @Test
    void loadsEveryRequestRuleOfCrs() {
        assertThat(crs.report().skipped()).isEmpty();
        assertThat(crs.report().rulesLoaded()).isGreaterThan(400);
        assertThat(crs.report().sources()).anyMatch(s -> s.startsWith("crs-setup.conf"))
                .anyMatch(s -> s.equals("REQUEST-949-BLOCKING-EVALUATION.conf"))
                .noneMatch(s -> s.startsWith("RESPONSE-"));
    }

    @Test
    void blocksSqlInjectionWithCrsScoring() {
        WafResult r = new WafEngine(crs, WafSettings.DEFAULTS)
                .evaluate(Requests.get("/?id=1%27%20or%20%271%27%3D%271").build());
        assertThat(r.action()).isEqualTo(WafAction.DENY);
        assertThat(r.matchedRuleIds()).contains(942100L, 949110L);
        assertThat(r.anomalyScore()).isGreaterThanOrEqualTo(5);
        assertThat(r.message()).startsWith("Inbound Anomaly Score Exceeded (Total Score: ");
    }

    @Test
    void allowsABrowserLikeRequest() {
        WafResult r = new WafEngine(crs, WafSettings.DEFAULTS.withParanoiaLevel(2)).evaluate(
                Requests.postForm("/account/profile?tab=settings&lang=en",
                        "display_name=Jane+Doe&bio=I+like+hiking+and+books.&newsletter=on").build());
        assertThat(r.action()).as(r.toString()).isEqualTo(WafAction.ALLOW);
        assertThat(r.anomalyScore()).isZero();
    }

    @Test
    void higherParanoiaLevelsFireMoreRules() {
        WafRequest request = Requests.get("/?q=a%27b").build();
        WafResult pl1 = new WafEngine(crs, WafSettings.DEFAULTS).evaluate(request);
        WafResult pl4 = new WafEngine(crs, WafSettings.DEFAULTS.withParanoiaLevel(4)).evaluate(request);
        assertThat(pl4.matchedRuleIds().size()).isGreaterThan(pl1.matchedRuleIds().size());
    }

    @Test
    void adversarialSixtyFourKilobyteBodyIsEvaluated() {
        // Nested brackets and quotes: the shape that sends backtracking engines exponential.
        String body = "a=" + "((((\"'<".repeat(64 * 1024 / 8);
        WafResult r = new WafEngine(crs, WafSettings.DEFAULTS.withParanoiaLevel(2))
                .evaluate(Requests.postForm("/", body).body(body.getBytes(StandardCharsets.ISO_8859_1)).build());
        assertThat(r.matchedRuleIds()).isNotEmpty();
    }
}
