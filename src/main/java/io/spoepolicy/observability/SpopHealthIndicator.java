package io.spoepolicy.observability;

import java.net.InetSocketAddress;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

import io.spoepolicy.server.ServerState;
import io.spoepolicy.server.SpoeServer;

/**
 * UP while the SPOP listener is bound and serving; OUT_OF_SERVICE while it drains; DOWN when it
 * is not listening. Part of the readiness group: a pod that is not ready gets no new traffic from
 * Kubernetes, while HAProxy learns of a drain from its refused health checks.
 */
public final class SpopHealthIndicator implements HealthIndicator {

    private final SpoeServer server;

    public SpopHealthIndicator(SpoeServer server) {
        this.server = server;
    }

    @Override
    public Health health() {
        ServerState state = server.state();
        InetSocketAddress address = server.address();
        Status status = switch (state) {
            case RUNNING -> address != null ? Status.UP : Status.DOWN;
            case DRAINING -> Status.OUT_OF_SERVICE;
            case STOPPED -> Status.DOWN;
        };
        Health.Builder health = Health.status(status)
                .withDetail("state", MeterNames.tagValue(state))
                .withDetail("connections", server.registry().size());
        if (address != null) {
            health.withDetail("port", address.getPort());
        }
        return health.build();
    }
}
