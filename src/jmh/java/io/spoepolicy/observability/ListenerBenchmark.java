package io.spoepolicy.observability;

import java.time.Duration;
import java.util.List;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

import io.spoepolicy.bench.JmhDefaults;
import io.spoepolicy.testsupport.BenchMessages;
import io.spoepolicy.policy.Decision;
import io.spoepolicy.policy.Outcome;
import io.spoepolicy.policy.PolicyRequest;
import io.spoepolicy.protocol.FrameType;
import io.spoepolicy.protocol.InboundFrame;
import io.spoepolicy.server.SessionContext;
import io.spoepolicy.server.SessionRegistry;
import io.spoepolicy.testsupport.FixedSession;

/**
 * What the meters and the decision log cost per NOTIFY of the allow-all agent: the observer and
 * listener calls the session and the dispatcher make for one NOTIFY (frame in, one policy's
 * decision, the outcome, the ACK's latency, frame out), against the Prometheus registry used in
 * production with the service's default properties. {@code Threads(2)} is the service's two SPOP
 * event loops recording into the same meters.
 */
@State(Scope.Benchmark)
public class ListenerBenchmark extends JmhDefaults {

    /** {@code spoe.observability.metrics.policy-duration-histogram}. */
    @Param({"false", "true"})
    public boolean policyDurationHistogram;

    private SpopMetrics spop;
    private PolicyMetrics policies;
    private DecisionLog decisionLog;
    private PolicyRequest request;
    private InboundFrame.Notify notify;
    private Outcome allowed;
    private SessionContext session;

    @Setup
    public void setUp() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ObservabilityProperties.Metrics metrics = new ObservabilityProperties.Metrics(64, "waf_rules", 500, false,
                policyDurationHistogram);
        spop = new SpopMetrics(registry, new SessionRegistry(), Duration.ofMillis(400), metrics.maxTagValues());
        policies = new PolicyMetrics(registry, metrics);
        decisionLog = new DecisionLog(new ObservabilityProperties.DecisionLog(true, 0.0, 256), "waf_rules");
        notify = new InboundFrame.Notify(1, 1, List.of(BenchMessages.typical()));
        request = new PolicyRequest(notify.messages().get(0), "engine");
        allowed = Outcome.decided(Decision.allow(), null);
        session = FixedSession.first();
    }

    /** Everything one allowed NOTIFY costs in meters and decision log. */
    @Benchmark
    public Object decidedCompletedAcknowledged() {
        spop.frameReceived(FrameType.NOTIFY.id(), 640);
        policies.decided(request, "allow-all", Decision.allow(), 1_500);
        decisionLog.decided(request, "allow-all", Decision.allow(), 1_500);
        policies.completed(request, allowed, 3_000);
        decisionLog.completed(request, allowed, 3_000);
        spop.notifyAcknowledged(session, notify, 150_000);
        spop.frameSent(FrameType.ACK.id(), 40);
        return spop;
    }

    @Benchmark
    @Threads(2)
    public Object decidedCompletedAcknowledgedTwoThreads() {
        return decidedCompletedAcknowledged();
    }

    @Benchmark
    public Object policyDecided() {
        policies.decided(request, "allow-all", Decision.allow(), 1_500);
        return policies;
    }

    @Benchmark
    public Object notifyAcknowledged() {
        spop.notifyAcknowledged(session, notify, 150_000);
        return spop;
    }
}
