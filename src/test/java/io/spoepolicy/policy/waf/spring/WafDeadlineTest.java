package io.spoepolicy.policy.waf.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.spoepolicy.policy.Decision;
import io.spoepolicy.policy.DecisionContract;
import io.spoepolicy.policy.Outcome;
import io.spoepolicy.policy.PolicyDispatcher;
import io.spoepolicy.policy.PolicyListener;
import io.spoepolicy.policy.PolicyRequest;
import io.spoepolicy.policy.SpoePolicy;
import io.spoepolicy.policy.waf.CrsTestSupport;
import io.spoepolicy.policy.waf.InspectionLimits;
import io.spoepolicy.policy.waf.WafEngine;
import io.spoepolicy.policy.waf.WafRules;
import io.spoepolicy.policy.waf.WafRulesLoader;
import io.spoepolicy.policy.waf.WafSettings;
import io.spoepolicy.protocol.SpopMessage;
import io.spoepolicy.protocol.VarScope;
import io.spoepolicy.testkit.MessageBuilder;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The WAF against the policy deadline: work whose answer is already lost must not run, so that
 * requests queued behind it still get a decision in time.
 */
class WafDeadlineTest {

    private static final Duration DEADLINE = Duration.ofMillis(400);

    static WafRules crs;
    static Scheduler oneWorker;

    @BeforeAll
    static void load() throws IOException {
        crs = WafRulesLoader.crs(CrsTestSupport.crs(), List.of());
        oneWorker = Schedulers.newBoundedElastic(1, 100, "waf-deadline-test", 60, true);
    }

    @AfterAll
    static void stop() {
        oneWorker.dispose();
    }

    /** CRS at PL1 with no time budget of its own: only the caller's deadline can stop it. */
    private static WafPolicy unbudgetedWaf() {
        return new WafPolicy(new WafEngine(crs, new WafSettings(1, 5, false,
                new InspectionLimits(1024 * 1024, 100_000, Duration.ZERO), List.of(), Map.of())), 403, false);
    }

    @Test
    void doesNotStartWhenTheDeadlineHasPassed() {
        WafPolicy waf = unbudgetedWaf();
        SpopMessage attack = MessageBuilder.checkRequest().ip("203.0.113.9").method("GET").path("/items")
                .query("id=1%27%20or%20%271%27%3D%271%27%20union%20select%20password%20from%20users--")
                .header("host", "shop.example").header("user-agent", "Mozilla/5.0").build();

        Decision inTime = waf.decide(new PolicyRequest(attack, "engine"));
        assertThat(inTime.reason()).isEqualTo("waf-anomaly-score");

        PolicyRequest late = new PolicyRequest(attack, "engine");
        late.attribute(PolicyDispatcher.DEADLINE_NANOS, System.nanoTime() - 1);
        Decision lateDecision = waf.decide(late);
        assertThat(lateDecision.reason()).isEqualTo("waf-partial-inspection");
        assertThat(lateDecision.variables()).doesNotContainKey(WafPolicy.RULES);
    }

    @Test
    void anEvaluationPastTheDeadlineStopsAndFreesTheWorkerForTheNextRequest() {
        PolicyDispatcher dispatcher = new PolicyDispatcher(Map.<String, List<SpoePolicy>>of("check-request",
                List.of(unbudgetedWaf())), new DecisionContract(VarScope.TRANSACTION), oneWorker, DEADLINE,
                PolicyListener.NONE);
        // Far more regex work than the deadline allows (seconds of CPU without a budget), in
        // 4 KB arguments: one regex call is the unit nothing can interrupt, and it stays short.
        StringBuilder body = new StringBuilder();
        for (int arg = 0; body.length() < 256 * 1024; arg++) {
            body.append(arg == 0 ? "" : "&").append("a").append(arg).append('=');
            for (int i = 0; i < 400; i++) {
                body.append("((((\"'<[{");
            }
        }
        SpopMessage heavy = MessageBuilder.checkRequest().ip("203.0.113.9").method("POST").path("/submit")
                .header("host", "shop.example").header("content-type", "application/x-www-form-urlencoded")
                .body(body.toString()).build();

        long start = System.nanoTime();
        Outcome first = dispatcher.evaluate(List.of(unbudgetedWafFrom(dispatcher)), new PolicyRequest(heavy, "e"))
                .block(Duration.ofSeconds(10));
        long firstMillis = (System.nanoTime() - start) / 1_000_000;
        // Either the WAF stopped itself just before the deadline (a partial inspection, allowed
        // here) or the deadline answered for it. A full inspection would take seconds.
        assertThat(first).isNotNull();
        assertThat(first.isError() ? first.error() : first.decision().verdict().name()).isIn("timeout", "ALLOW");
        assertThat(firstMillis).as("answer of the heavy request").isLessThan(DEADLINE.toMillis() + 2_000);

        // The single worker must be free again at once: without the deadline the evaluation of
        // the heavy request would hold it for seconds more, and every request queued behind it
        // would time out too.
        String worker = workerStack();
        long asked = System.nanoTime();
        Long ran = reactor.core.publisher.Mono.fromCallable(System::nanoTime).subscribeOn(oneWorker)
                .block(Duration.ofSeconds(30));
        long waitedMillis = (ran - asked) / 1_000_000;
        assertThat(waitedMillis).as("wait for the worker after the heavy request's answer (%d ms); worker then: %s",
                firstMillis, worker).isLessThan(1_000);
    }

    /** Where the worker was when the next request came, for the failure message. */
    private static String workerStack() {
        StringBuilder out = new StringBuilder();
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            if (thread.getName().startsWith("waf-deadline-test")) {
                out.append(thread.getName()).append(' ').append(thread.getState());
                for (int i = 0; i < Math.min(12, stack.length); i++) {
                    out.append("\n  at ").append(stack[i]);
                }
            }
        });
        return out.toString();
    }

    private static SpoePolicy unbudgetedWafFrom(PolicyDispatcher dispatcher) {
        return dispatcher.chains().get("check-request").get(0);
    }
}
