package io.spoepolicy.server;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.spoepolicy.testkit.AgentFrame;
import io.spoepolicy.testkit.HaproxyFrames;
import io.spoepolicy.testkit.MessageBuilder;
import io.spoepolicy.testkit.SpopTestClient;
import io.spoepolicy.testsupport.FreePorts;
import io.spoepolicy.testsupport.HttpLoad;
import io.spoepolicy.testsupport.SpringAgent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole application shutting down as on SIGTERM ({@code context.close()}): readiness turns
 * REFUSING_TRAFFIC first, then SPOP drains while the HTTP server still answers probes (the SPOP
 * phase runs before the web server's graceful shutdown), and SPOP keeps serving data connections
 * during the window while refusing health checks.
 */
class GracefulShutdownOrderTest {

    @Test
    void readinessRefusesAndProbesKeepAnsweringWhileSpopDrains() throws Exception {
        assertThat(SpoeServer.PHASE).isGreaterThan(
                org.springframework.boot.web.server.context.WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE);
        // A long window: every check below must happen within it, on a machine that may be slow.
        try (SpringAgent agent = SpringAgent.start("shutdown-order", FreePorts.next(),
                "spoe.server.drain.window=8s", "spoe.server.drain.deadline=12s")) {
            int http = agent.managementPort();
            SpoeServer server = agent.server();
            assertThat(HttpLoad.get(http, "/actuator/health/readiness").status()).isEqualTo(200);
            // Its DISCONNECT comes after the window: read with a timeout longer than that.
            try (SpopTestClient haproxy = SpopTestClient.connect(new InetSocketAddress("127.0.0.1", agent.port()),
                    Duration.ofSeconds(20))) {
                haproxy.handshake();

                CompletableFuture<DrainReport> closing = CompletableFuture.supplyAsync(agent::stop);
                await().atMost(Duration.ofSeconds(5)).until(() -> server.state() == ServerState.DRAINING);

                // Fresh HTTP connections still get answers: not ready, but alive.
                assertThat(HttpLoad.get(http, "/actuator/health/readiness").status()).isEqualTo(503);
                assertThat(HttpLoad.get(http, "/actuator/health/liveness").status()).isEqualTo(200);
                // SPOP: health checks refused, data still served.
                try (SpopTestClient check = SpopTestClient.connect("127.0.0.1", agent.port())) {
                    check.send(HaproxyFrames.healthcheckHello());
                    assertThat(check.receive()).isInstanceOf(AgentFrame.Disconnect.class);
                }
                assertThat(haproxy.request(MessageBuilder.checkRequest().ip("127.0.0.1").build()).text("action"))
                        .isEqualTo("allow");

                assertThat(haproxy.receive()).isInstanceOf(AgentFrame.Disconnect.class);
                haproxy.close();
                DrainReport report = closing.get(20, TimeUnit.SECONDS);
                assertThat(report.closedQuiet()).isEqualTo(1);
                assertThat(report.forced()).isZero();
            }
        }
    }
}
