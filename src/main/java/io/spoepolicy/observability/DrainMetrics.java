package io.spoepolicy.observability;

import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;

import io.spoepolicy.server.DrainReport;
import io.spoepolicy.server.ServerState;
import io.spoepolicy.server.SpoeServer;

/**
 * The SPOP server's state and its last drain, read from the server on each scrape. The
 * management port stays up while SPOP drains, so a scrape during shutdown sees the drain.
 */
public final class DrainMetrics implements MeterBinder {

    private final SpoeServer server;

    public DrainMetrics(SpoeServer server) {
        this.server = server;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (ServerState state : ServerState.values()) {
            Gauge.builder("spoe.server.state", server, current -> current.state() == state ? 1 : 0)
                    .description("1 for the SPOP server's current state (running, draining, stopped), else 0")
                    .tag("state", MeterNames.tagValue(state))
                    .strongReference(true).register(registry);
        }
        lastDrain(registry, "drained", DrainReport::drained);
        lastDrain(registry, "forced", DrainReport::forced);
        Gauge.builder("spoe.drain.last.lost.inflight", server, current -> {
            DrainReport report = current.lastDrain();
            return report == null ? 0 : report.lostInFlight();
        }).description("NOTIFYs in flight on the connections the last drain forced closed: decisions lost")
                .strongReference(true).register(registry);
        TimeGauge.builder("spoe.drain.last.duration", server, TimeUnit.MILLISECONDS, current -> {
            DrainReport report = current.lastDrain();
            return report == null ? 0 : report.duration().toMillis();
        }).description("How long the last drain took, 0 before any").strongReference(true).register(registry);
    }

    private void lastDrain(MeterRegistry registry, String result, ToDoubleFunction<DrainReport> value) {
        Gauge.builder("spoe.drain.last.sessions", server, current -> {
            DrainReport report = current.lastDrain();
            return report == null ? 0 : value.applyAsDouble(report);
        }).description("Connections of the last drain closed gracefully (drained) or at the deadline (forced)")
                .tag("result", result).strongReference(true).register(registry);
    }
}
