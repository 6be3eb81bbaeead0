package io.spoepolicy.observability;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.spoepolicy.server.SpoeServer;
import io.spoepolicy.testsupport.FreePorts;
import io.spoepolicy.testsupport.HaproxyConfig;
import io.spoepolicy.testsupport.HaproxyProcess;
import io.spoepolicy.testsupport.HttpLoad;
import io.spoepolicy.testsupport.HttpLoadResult;
import io.spoepolicy.testsupport.QuickStart;
import io.spoepolicy.testsupport.RequiresHaproxy;
import io.spoepolicy.testsupport.ServerState;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Traffic through a real HAProxy with the quick-start configuration: the meters count exactly the
 * requests sent, nothing counts as an error, and the spoe endpoint shows HAProxy's sessions.
 * Same context as {@link ObservabilityIntegrationTest} ({@link ObservabilityContext}), so the cached
 * context is reused; every assertion compares against values read before the traffic.
 */
@RequiresHaproxy
@ObservabilityContext
class ObservabilityThroughHaproxyTest {

    private static final JsonMapper json = JsonMapper.builder().build();

    @Autowired
    SpoeServer server;

    @Autowired
    MeterRegistry registry;

    @LocalManagementPort
    int managementPort;

    @Test
    void metersAndEndpointReflectTrafficThroughHaproxy() throws Exception {
        Meters m = new Meters(registry);
        int frontend = FreePorts.next();
        // A check answer slower than "inter" (1s) on a loaded machine would take the agent DOWN:
        // this test is about meters, so checks get a longer read timeout. For the same reason
        // "timeout processing" is above the agent's deadline rather than the docs' 500 ms: a
        // processing timeout is a missing decision, not what is counted here.
        HaproxyConfig config = QuickStart.builder().frontendPort(frontend).agentPorts(server.address().getPort())
                .processingTimeout("5s").build().replace(HaproxyConfig.MAIN_FILE, "    option spop-check\n",
                        "    option spop-check\n    timeout check 5s\n", 1);
        try (HaproxyProcess haproxy = HaproxyProcess.start(config)) {
            // HAProxy starts the agent server UP; a first check slower than "inter" on a cold JVM
            // takes it DOWN for a moment. Traffic starts once a request got a decision.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> HttpLoad.get(frontend, "/").hasHeader("x-policy-action"));
            assertThat(haproxy.serverState("be_spoe_agents", "agent1")).as(haproxy.logTail(400)).isEqualTo(ServerState.UP);
            assertThat(m.count("spoe.handshakes", "kind", "healthcheck")).isPositive();

            long notifies = m.timerCount("spoe.notify.duration", "message", "check-request");
            double allowed = m.count("spoe.decisions", "message", "check-request", "action", "allow", "policy", "none");
            double denied = m.count("spoe.decisions", "message", "check-request", "action", "deny", "policy", "ip-access");
            double errors = m.sum("spoe.protocol.errors");
            double haproxyErrors = m.sum("spoe.disconnects.received") - m.count("spoe.disconnects.received", "status", "normal");
            double late = m.count("spoe.acks.late");

            HttpLoadResult allow = HttpLoad.to(frontend).connections(4).requests(40).capture("x-policy-action").run();
            HttpLoadResult deny = HttpLoad.to(frontend).from("127.0.0.2").connections(2).requests(10)
                    .capture("x-policy-action").run();
            assertThat(allow.countStatus(200)).as(allow.toString()).isEqualTo(40);
            assertThat(allow.headerCounts("x-policy-action")).as(haproxy.logTail(60)).containsEntry("allow", 40L);
            assertThat(deny.countStatus(403)).as(deny.toString()).isEqualTo(10);

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(m.timerCount("spoe.notify.duration", "message", "check-request")).isEqualTo(notifies + 50));
            assertThat(m.count("spoe.decisions", "message", "check-request", "action", "allow", "policy", "none"))
                    .isEqualTo(allowed + 40);
            assertThat(m.count("spoe.decisions", "message", "check-request", "action", "deny", "policy", "ip-access"))
                    .isEqualTo(denied + 10);
            assertThat(m.sum("spoe.protocol.errors")).isEqualTo(errors);
            assertThat(m.sum("spoe.disconnects.received") - m.count("spoe.disconnects.received", "status", "normal"))
                    .isEqualTo(haproxyErrors);
            assertThat(m.count("spoe.acks.late")).isEqualTo(late);
            assertThat(m.gauge("spoe.engines.connected")).isGreaterThanOrEqualTo(1);
            List<Integer> statuses = haproxy.spoeStatuses();
            assertThat(statuses.subList(statuses.size() - 50, statuses.size())).as(haproxy.logTail(60)).containsOnly(0);

            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + managementPort + "/actuator/spoe")).timeout(Duration.ofSeconds(10))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            List<JsonNode> haproxySessions = new ArrayList<>();
            for (JsonNode session : json.readTree(response.body()).path("sessions")) {
                String engine = session.path("engineId").asString("");
                if (!engine.isEmpty() && !engine.startsWith("test-engine-")) {
                    haproxySessions.add(session);
                }
            }
            assertThat(haproxySessions).as(response.body()).isNotEmpty();
            assertThat(haproxySessions).allSatisfy(session -> {
                assertThat(session.path("state").asString()).isEqualTo("processing");
                assertThat(session.path("version").asString()).isEqualTo("2.0");
                assertThat(session.path("peer").asString()).startsWith("127.0.0.1:");
            });
            assertThat(haproxySessions.stream().mapToLong(s -> s.path("framesIn").asLong()).sum())
                    .isGreaterThanOrEqualTo(50);
        }
        // HAProxy is gone, but the agent closes its connections on its own schedule, counting each
        // close by reason. The context is cached and shared with ObservabilityIntegrationTest, whose
        // exact counter deltas (one haproxy-disconnect close, ...) would see those late closes if
        // it started in between: hand the context on with every connection's close counted.
        await("every HAProxy connection closed and counted").atMost(Duration.ofSeconds(20))
                .until(() -> m.count("spoe.connections.opened") == m.sum("spoe.connections.closed"));
    }
}
