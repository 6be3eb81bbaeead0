package io.spoepolicy.policy.waf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Engine behaviour around the rules: exclusions, inspection caps, time budget, sharing. */
class WafEngineTest {

    static WafRules builtIn;

    @BeforeAll
    static void load() throws IOException {
        builtIn = WafRulesLoader.builtIn(List.of());
    }

    private static WafSettings settings(List<RuleExclusion> exclusions, InspectionLimits limits) {
        return new WafSettings(1, 5, false, limits, exclusions, Map.of());
    }

    @Test
    void exclusionsApplyPerHostAndPathPrefix() {
        RuleExclusion cms = new RuleExclusion("cms.example", "/admin/", Set.of(), Set.of("attack-xss"));
        WafEngine engine = new WafEngine(builtIn, settings(List.of(cms), InspectionLimits.DEFAULTS));
        String xss = "?body=%3Cscript%3Ealert(1)%3C/script%3E";

        WafResult excluded = engine.evaluate(Requests.get("/admin/page" + xss).header("host", "CMS.example:8443").build());
        assertThat(excluded.action()).isEqualTo(WafAction.ALLOW);
        assertThat(excluded.matchedRuleIds()).isEmpty();

        assertThat(engine.evaluate(Requests.get("/public" + xss).header("host", "cms.example").build()).action())
                .isEqualTo(WafAction.DENY);
        assertThat(engine.evaluate(Requests.get("/admin/page" + xss).header("host", "shop.example").build()).action())
                .isEqualTo(WafAction.DENY);
    }

    @Test
    void exclusionsById() {
        RuleExclusion noSqli = new RuleExclusion(null, null, Set.of(210100L, 210110L), Set.of());
        WafEngine engine = new WafEngine(builtIn, settings(List.of(noSqli), InspectionLimits.DEFAULTS));
        WafResult r = engine.evaluate(Requests.get("/?id=1%20UNION%20SELECT%20a,b%20FROM%20c").build());
        assertThat(r.matchedRuleIds()).doesNotContain(210100L, 210110L);
    }

    @Test
    void bodyBeyondTheCapIsNotInspectedAndTheCapIsReported() {
        WafEngine engine = new WafEngine(builtIn, settings(List.of(), new InspectionLimits(100, 1000, Duration.ZERO)));
        String attackAfterCap = "pad=" + "a".repeat(200) + "&q=1%20UNION%20SELECT%20a%20FROM%20b";
        WafResult r = engine.evaluate(Requests.postForm("/", attackAfterCap).build());
        assertThat(r.capsHit()).containsExactly(InspectionCap.BODY_BYTES);
        assertThat(r.action()).isEqualTo(WafAction.ALLOW);

        WafResult within = new WafEngine(builtIn, WafSettings.DEFAULTS).evaluate(Requests.postForm("/", attackAfterCap).build());
        assertThat(within.capsHit()).isEmpty();
        assertThat(within.action()).isEqualTo(WafAction.DENY);
    }

    @Test
    void argumentsBeyondTheCapAreReported() {
        WafEngine engine = new WafEngine(builtIn, settings(List.of(), new InspectionLimits(1000, 3, Duration.ZERO)));
        WafResult r = engine.evaluate(Requests.get("/?a=1&b=2&c=3&d=4").build());
        assertThat(r.capsHit()).containsExactly(InspectionCap.ARGS_COUNT);
    }

    @Test
    void exhaustedTimeBudgetStopsEvaluationAndIsReported() {
        WafEngine engine = new WafEngine(builtIn, settings(List.of(), new InspectionLimits(1000, 1000, Duration.ofNanos(1))));
        WafResult r = engine.evaluate(Requests.get("/?q=%3Cscript%3E").build());
        assertThat(r.capsHit()).contains(InspectionCap.TIME_BUDGET);
        assertThat(r.action()).isEqualTo(WafAction.ALLOW);
    }

    @Test
    void oneEngineServesConcurrentRequestsWithIdenticalResults() throws Exception {
        WafEngine engine = new WafEngine(builtIn, WafSettings.DEFAULTS);
        List<WafRequest> requests = List.of(
                Requests.get("/?id=1%20OR%201%3D1").build(),
                Requests.get("/products?color=blue").build(),
                Requests.postForm("/c", "x=%3Csvg/onload%3Dalert(1)%3E").build(),
                Requests.get("/f?file=../../etc/passwd").build());
        List<WafResult> expected = new ArrayList<>();
        for (WafRequest r : requests) {
            expected.add(engine.evaluate(r));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Boolean>> tasks = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                tasks.add(() -> {
                    for (int i = 0; i < 200; i++) {
                        int k = i % requests.size();
                        if (!engine.evaluate(requests.get(k)).equals(expected.get(k))) {
                            return false;
                        }
                    }
                    return true;
                });
            }
            for (Future<Boolean> f : pool.invokeAll(tasks)) {
                assertThat(f.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void resultExportsIdsAsText() {
        WafResult r = new WafResult(WafAction.DENY, 10, List.of(942100L, 949110L), "m", true, Set.of());
        assertThat(r.matchedRuleIdsText()).isEqualTo("942100 949110");
        assertThat(r.action().wireName()).isEqualTo("deny");
    }
}
