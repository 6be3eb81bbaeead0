package io.spoepolicy.observability;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import io.spoepolicy.policy.Decision;
import io.spoepolicy.policy.Outcome;
import io.spoepolicy.policy.PolicyRequest;
import io.spoepolicy.protocol.FrameType;
import io.spoepolicy.protocol.InboundFrame;
import io.spoepolicy.server.SessionContext;
import io.spoepolicy.server.SessionRegistry;
import io.spoepolicy.testsupport.FixedSession;
import io.spoepolicy.testkit.MessageBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-frame and per-message observer calls run on the event loops for every request: once
 * their meters exist they must not allocate (measured with the JVM's per-thread allocation
 * counter, against the Prometheus registry used in production).
 */
class HotPathAllocationTest {

    private static final int CALLS = 20_000;

    @Test
    void observerCallsDoNotAllocateOnceMetersExist() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        SpopMetrics spop = new SpopMetrics(registry, new SessionRegistry(), Duration.ofMillis(400), 64);
        PolicyMetrics policies = new PolicyMetrics(registry, new ObservabilityProperties.Metrics(64, "waf_rules", 10, false));
        InboundFrame.Notify notify = new InboundFrame.Notify(1, 1, List.of(MessageBuilder.checkRequest().build()));
        PolicyRequest request = new PolicyRequest(notify.messages().get(0), "engine");
        Decision deny = Decision.deny(403, "ip-denied");
        Outcome denied = Outcome.decided(deny, "ip-access");
        Outcome allowed = Outcome.decided(Decision.allow(), null);
        SessionContext session = FixedSession.first();

        Runnable hotPath = () -> {
            for (int i = 0; i < CALLS; i++) {
                spop.frameReceived(FrameType.NOTIFY.id(), 120);
                policies.decided(request, "ip-access", Decision.allow(), 1_500);
                policies.decided(request, "ip-access", deny, 2_500);
                policies.completed(request, (i & 1) == 0 ? denied : allowed, 3_000);
                spop.notifyAcknowledged(session, notify, 50_000 + i);
                spop.frameSent(FrameType.ACK.id(), 40);
            }
        };
        hotPath.run();
        hotPath.run();

        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        hotPath.run();
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        // A few hundred bytes of noise at most, against well over a megabyte for one object per call.
        assertThat(allocated).as("bytes allocated by %d request paths", CALLS).isLessThan(16 * 1024);
        assertThat(registry.get("spoe.notify.duration").timer().count()).isEqualTo(3L * CALLS);
    }
}
