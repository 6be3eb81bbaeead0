package io.spoepolicy.server.warmup;

import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

import io.spoepolicy.policy.DecisionContract;
import io.spoepolicy.protocol.TypedValue;
import io.spoepolicy.server.SpoeServer;
import io.spoepolicy.testkit.AgentFrame;
import io.spoepolicy.testkit.MessageBuilder;
import io.spoepolicy.testkit.SpopTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** The start-up warm-up against the whole service: readiness, traces, bounds. */
class SpopWarmupTest {

    private static final String COMMON = "spoe.server.port=0";

    /** Readiness flips after the warm-up, which leaves no trace anywhere. */
    @Nested
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
            COMMON, "server.port=0", "management.server.port=0", "spoe.server.host=127.0.0.1",
            "spoe.server.warmup.enabled=true", "spoe.server.warmup.requests=40", "spoe.server.warmup.max-duration=60s",
            "spoe.observability.decision-log.allow-sample-rate=1.0",
            "spoe.policies.rate-limit.enabled=true", "spoe.policies.rate-limit.limit=5",
            "spoe.policies.rate-limit.period=1m", "spoe.policies.rate-limit.key=ip"})
    @Import(WarmupProbes.class)
    class Enabled {

        @Autowired
        WarmupProbes probes;

        @Autowired
        SpoeServer server;

        @Autowired
        SpopWarmup warmup;

        @Autowired
        MeterRegistry meters;

        @Test
        void readinessFlipsOnlyAfterTheWarmupAndNothingRemembersIt() throws Exception {
            WarmupProbes.AtReadiness atReadiness = probes.atReadiness.get();
            assertThat(atReadiness).as("ACCEPTING_TRAFFIC was published").isNotNull();
            assertThat(atReadiness.report().outcome()).isEqualTo(WarmupReport.Outcome.COMPLETED);
            assertThat(atReadiness.report().acknowledged()).isEqualTo(40);
            assertThat(atReadiness.warmupSeen()).as("synthetic requests evaluated before readiness").isEqualTo(40);
            assertThat(warmup.report()).isSameAs(atReadiness.report());

            // No trace: a policy not declared warm-up safe never ran, no listener (metrics, decision
            // log) was told, no session was registered, no SPOP or policy meter moved.
            assertThat(probes.unsafeSeen).hasValue(0);
            assertThat(probes.listened).hasValue(0);
            assertThat(probes.realSeen).hasValue(0);
            assertThat(server.registry().accepted()).isZero();
            assertThat(server.registry().size()).isZero();
            for (Counter counter : meters.find("spoe.frames.received").counters()) {
                assertThat(counter.count()).as(counter.getId().toString()).isZero();
            }
            meters.getMeters().stream().filter(meter -> meter.getId().getName().startsWith("spoe."))
                    .forEach(meter -> {
                        if (meter instanceof Counter counter) {
                            assertThat(counter.count()).as(meter.getId().toString()).isZero();
                        }
                        else if (meter instanceof Timer timer) {
                            assertThat(timer.count()).as(meter.getId().toString()).isZero();
                        }
                    });

            // 198.51.100.10 is a warm-up client address; its 8 requests consumed nothing there.
            try (SpopTestClient client = SpopTestClient.connect("127.0.0.1", server.address().getPort())) {
                client.handshake();
                AgentFrame.Ack ack = client.request(MessageBuilder.checkRequest().ip("198.51.100.10").method("GET")
                        .path("/").build());
                assertThat(ack.variable(DecisionContract.RATELIMIT_REMAINING)).isEqualTo(TypedValue.of(4L));
            }
            assertThat(probes.realSeen).hasValue(1);
            assertThat(probes.unsafeSeen).hasValue(1);
            assertThat(probes.listened.get()).isPositive();
        }
    }

    /** Disabled: readiness flips without any synthetic request. */
    @Nested
    @SpringBootTest(properties = {COMMON, "spoe.server.warmup.enabled=false"})
    @Import(WarmupProbes.class)
    class Disabled {

        @Autowired
        WarmupProbes probes;

        @Test
        void readinessFlipsWithoutWarmup() {
            WarmupProbes.AtReadiness atReadiness = probes.atReadiness.get();
            assertThat(atReadiness).isNotNull();
            assertThat(atReadiness.report().outcome()).isEqualTo(WarmupReport.Outcome.DISABLED);
            assertThat(atReadiness.report().took()).isZero();
            assertThat(atReadiness.warmupSeen()).isZero();
            assertThat(probes.warmupSeen).hasValue(0);
        }
    }

    /** A warm-up that cannot finish holds readiness for max-duration, then startup goes on. */
    @Nested
    @SpringBootTest(properties = {COMMON, "spoe.server.warmup.enabled=true", "spoe.server.warmup.requests=1000", "spoe.server.warmup.max-duration=600ms",
            "warmup-test.sleep-ms=200"})
    @Import(WarmupProbes.class)
    class Bounded {

        @Autowired
        WarmupProbes probes;

        @Test
        void neverHoldsReadinessPastMaxDuration() {
            WarmupProbes.AtReadiness atReadiness = probes.atReadiness.get();
            assertThat(atReadiness).isNotNull();
            WarmupReport report = atReadiness.report();
            assertThat(report.outcome()).isEqualTo(WarmupReport.Outcome.TIMED_OUT);
            assertThat(report.acknowledged()).isLessThan(1000);
            assertThat(report.took()).isGreaterThanOrEqualTo(Duration.ofMillis(600))
                    .isLessThan(Duration.ofMillis(600 + 1500));
        }
    }
}
