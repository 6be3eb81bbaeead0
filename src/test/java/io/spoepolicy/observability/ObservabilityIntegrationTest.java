package io.spoepolicy.observability;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.spoepolicy.protocol.TypedValue;
import io.spoepolicy.server.SpoeServer;
import io.spoepolicy.testkit.AgentFrame;
import io.spoepolicy.testkit.HaproxyFrames;
import io.spoepolicy.testkit.MessageBuilder;
import io.spoepolicy.testkit.SpopTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Meters, the spoe endpoint, health groups and the dashboard of a running service, driven over
 * real SPOP sockets and read back through the registry and the management port.
 */
@ObservabilityContext
class ObservabilityIntegrationTest {

    private static final long DEADLINE_MILLIS = ObservabilityContext.DEADLINE_MILLIS;
    /** What "sleepy" sleeps to get a timeout ACK and a late one. */
    private static final long PAST_THE_DEADLINE_MILLIS = 2 * DEADLINE_MILLIS;

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final JsonMapper json = JsonMapper.builder().build();

    @Autowired
    SpoeServer server;

    @Autowired
    MeterRegistry registry;

    @LocalManagementPort
    int managementPort;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Meters meters() {
        return new Meters(registry);
    }

    private SpopTestClient connect() throws IOException {
        return SpopTestClient.connect(new InetSocketAddress("127.0.0.1", server.address().getPort()),
                Duration.ofMillis(DEADLINE_MILLIS).plusSeconds(10));
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
                .timeout(Duration.ofSeconds(10)).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void countsEveryNotifyAckAndDecisionOfATrafficRun() throws Exception {
        Meters m = meters();
        long notifies = m.timerCount("spoe.notify.duration", "message", "check-request");
        double framesIn = m.count("spoe.frames.received", "type", "notify");
        double acks = m.count("spoe.frames.sent", "type", "ack");
        double allowed = m.count("spoe.decisions", "message", "check-request", "action", "allow", "policy", "none");
        double denied = m.count("spoe.decisions", "message", "check-request", "action", "deny", "policy", "ip-access");
        double ipDenied = m.count("spoe.policy.decisions", "policy", "ip-access", "action", "deny", "reason", "ip-denied");
        double handshakes = m.count("spoe.handshakes", "kind", "processing", "capabilities",
                "fragmentation,pipelining", "max.frame.size", "16380");
        double errors = m.sum("spoe.protocol.errors");
        double late = m.count("spoe.acks.late");
        double closedByHaproxy = m.count("spoe.connections.closed", "reason", "haproxy-disconnect");
        double bytesIn = m.count("spoe.received.bytes");

        int allowN = 15;
        int denyN = 5;
        try (SpopTestClient client = connect()) {
            client.handshake();
            for (int i = 0; i < allowN; i++) {
                assertThat(client.request(MessageBuilder.checkRequest().ip("10.0.0." + (i + 1)).build()).text("action"))
                        .isEqualTo("allow");
            }
            for (int i = 0; i < denyN; i++) {
                assertThat(client.request(MessageBuilder.checkRequest().ip("127.0.0.2").build()).text("action"))
                        .isEqualTo("deny");
            }
            assertThat(client.disconnect()).isInstanceOf(AgentFrame.Disconnect.class);
        }

        int total = allowN + denyN;
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(m.timerCount("spoe.notify.duration", "message", "check-request")).isEqualTo(notifies + total);
            assertThat(m.count("spoe.connections.closed", "reason", "haproxy-disconnect")).isEqualTo(closedByHaproxy + 1);
        });
        assertThat(m.count("spoe.frames.received", "type", "notify")).isEqualTo(framesIn + total);
        assertThat(m.count("spoe.frames.sent", "type", "ack")).isEqualTo(acks + total);
        assertThat(m.count("spoe.decisions", "message", "check-request", "action", "allow", "policy", "none"))
                .isEqualTo(allowed + allowN);
        assertThat(m.count("spoe.decisions", "message", "check-request", "action", "deny", "policy", "ip-access"))
                .isEqualTo(denied + denyN);
        assertThat(m.count("spoe.policy.decisions", "policy", "ip-access", "action", "deny", "reason", "ip-denied"))
                .isEqualTo(ipDenied + denyN);
        assertThat(m.count("spoe.handshakes", "kind", "processing", "capabilities", "fragmentation,pipelining",
                "max.frame.size", "16380")).isEqualTo(handshakes + 1);
        assertThat(m.sum("spoe.protocol.errors")).isEqualTo(errors);
        assertThat(m.count("spoe.acks.late")).isEqualTo(late);
        assertThat(m.count("spoe.received.bytes")).isGreaterThan(bytesIn);
        assertThat(m.count("spoe.disconnects.received", "status", "normal")).isGreaterThanOrEqualTo(1);

        // The same through the Prometheus scrape, with no per-peer tag anywhere.
        HttpResponse<String> scrape = get("/actuator/prometheus");
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body())
                .contains("spoe_notify_duration_seconds_bucket{message=\"check-request\",le=\"1.0\"}")
                .contains("spoe_decisions_total{action=\"deny\",message=\"check-request\",policy=\"ip-access\"}")
                .contains("spoe_connections_active ")
                .contains("spoe_server_state{state=\"running\"} 1.0")
                .contains("reactor_netty_tcp_server_data_received_bytes")
                // The WAF is on in this context: its lazily built DFAs' counters are exported.
                .containsPattern("(?m)^spoe_waf_regex_dfa_resets_total \\d")
                .containsPattern("(?m)^spoe_waf_regex_dfa_given_up_total \\d")
                .containsPattern("(?m)^spoe_waf_regex_dfa_re2j_only \\d")
                .doesNotContain("remote_address");
    }

    @Test
    void malformedFrameIncrementsTheErrorCounterWithItsStatus() throws Exception {
        Meters m = meters();
        double invalid = m.count("spoe.protocol.errors", "status", "invalid-frame", "code", "4");
        double closedByError = m.count("spoe.connections.closed", "reason", "protocol-error");
        try (SpopTestClient client = connect()) {
            client.handshake();
            // A frame whose length is below the 7-byte minimum.
            client.send(new byte[] {0, 0, 0, 2, 3, 0});
            AgentFrame.Disconnect disconnect = client.receive(AgentFrame.Disconnect.class);
            assertThat(disconnect.statusCode()).isEqualTo(4);
        }
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(m.count("spoe.protocol.errors", "status", "invalid-frame", "code", "4")).isEqualTo(invalid + 1);
            assertThat(m.count("spoe.connections.closed", "reason", "protocol-error")).isEqualTo(closedByError + 1);
        });
        assertThat(get("/actuator/prometheus").body())
                .containsPattern("spoe_protocol_errors_total\\{code=\"4\",status=\"invalid-frame\"} [1-9]");
    }

    @Test
    void lateAcksFragmentsAndRuleMatchesAreCounted() throws Exception {
        Meters m = meters();
        double late = m.count("spoe.acks.late");
        double timeouts = m.count("spoe.policy.errors", "policy", "sleepy", "error", "timeout");
        double fragmented = m.count("spoe.notify.fragmented");
        double fragments = m.count("spoe.frames.received", "type", "fragment");
        double rule = m.count("spoe.waf.rule.matches", "rule", "942100");
        try (SpopTestClient client = connect()) {
            client.handshake();
            AgentFrame.Ack slow = client.request(MessageBuilder.message("sleepy")
                    .argument("ms", TypedValue.of(PAST_THE_DEADLINE_MILLIS)).build());
            assertThat(slow.text("agent_error")).isEqualTo("timeout");

            List<byte[]> pieces = HaproxyFrames.fragmentedNotify(99, 1,
                    List.of(MessageBuilder.checkRequest().ip("10.9.9.9").path("/" + "p".repeat(300)).build()), 100);
            assertThat(pieces.size()).isGreaterThan(2);
            for (byte[] piece : pieces) {
                client.send(piece);
            }
            assertThat(client.receive(AgentFrame.Ack.class).text("action")).isEqualTo("allow");

            assertThat(client.request(MessageBuilder.message("waf").build()).text("action")).isEqualTo("deny");
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(m.count("spoe.acks.late")).isEqualTo(late + 1));
        assertThat(m.count("spoe.policy.errors", "policy", "sleepy", "error", "timeout")).isEqualTo(timeouts + 1);
        assertThat(m.count("spoe.notify.fragmented")).isEqualTo(fragmented + 1);
        assertThat(m.count("spoe.frames.received", "type", "fragment")).isEqualTo(fragments + pieces(300) - 1);
        assertThat(m.count("spoe.waf.rule.matches", "rule", "942100")).isEqualTo(rule + 1);
    }

    /** Frames the fragmented NOTIFY above is cut into. */
    private static int pieces(int pathLength) {
        return HaproxyFrames.fragmentedNotify(99, 1,
                List.of(MessageBuilder.checkRequest().ip("10.9.9.9").path("/" + "p".repeat(pathLength)).build()), 100)
                .size();
    }

    @Test
    void endpointShowsTheLiveSessionsAndTheLoadedPolicies() throws Exception {
        List<SpopTestClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                SpopTestClient client = connect();
                clients.add(client);
                client.handshake();
            }
            for (int i = 0; i < 3; i++) {
                clients.get(1).request(MessageBuilder.checkRequest().ip("10.0.0.1").build());
            }
            HttpResponse<String> response = get("/actuator/spoe");
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode body = json.readTree(response.body());

            assertThat(body.path("listener").path("state").asString()).isEqualTo("running");
            assertThat(body.path("listener").path("address").asString())
                    .endsWith(":" + server.address().getPort());
            List<JsonNode> sessions = new ArrayList<>();
            body.path("sessions").forEach(sessions::add);
            assertThat(sessions).hasSizeGreaterThanOrEqualTo(2);
            JsonNode busy = sessions.stream().filter(s -> s.path("framesIn").asLong() == 4).findFirst().orElseThrow();
            assertThat(busy.path("engineId").asString()).startsWith("test-engine-");
            assertThat(busy.path("version").asString()).isEqualTo("2.0");
            assertThat(busy.path("maxFrameSize").asInt()).isEqualTo(16380);
            assertThat(busy.path("state").asString()).isEqualTo("processing");
            assertThat(busy.path("framesOut").asLong()).isEqualTo(4);
            assertThat(busy.path("inFlight").asInt()).isZero();
            assertThat(busy.path("peer").asString()).startsWith("127.0.0.1:");
            assertThat(busy.path("ageMillis").asLong()).isGreaterThanOrEqualTo(0);
            List<String> capabilities = new ArrayList<>();
            busy.path("capabilities").forEach(c -> capabilities.add(c.asString()));
            assertThat(capabilities).containsExactlyInAnyOrder("pipelining", "fragmentation");

            JsonNode policies = body.path("policies");
            assertThat(policies.path("configVersion").asString()).matches("[0-9a-f]{12}");
            assertThat(policies.path("generation").path("number").asLong()).isEqualTo(1);
            assertThat(policies.path("generation").path("trigger").asString()).isEqualTo("startup");
            assertThat(policies.path("chains").path("check-request").get(0).asString()).isEqualTo("ip-access");
            JsonNode ipAccess = null;
            for (JsonNode policy : policies.path("loaded")) {
                if (policy.path("name").asString().equals("ip-access")) {
                    ipAccess = policy;
                }
            }
            assertThat(ipAccess).isNotNull();
            assertThat(ipAccess.path("execution").asString()).isEqualTo("inline");
            assertThat(ipAccess.path("configuration").path("denyNetworks").asInt()).isEqualTo(2);
            assertThat(ipAccess.path("version").asString()).matches("[0-9a-f]{12}");
        }
        finally {
            for (SpopTestClient client : clients) {
                client.close();
            }
        }
    }

    @Test
    void healthGroupsInfoAndEndpointExposure() throws Exception {
        HttpResponse<String> readiness = get("/actuator/health/readiness");
        assertThat(readiness.statusCode()).isEqualTo(200);
        JsonNode ready = json.readTree(readiness.body());
        assertThat(ready.path("status").asString()).isEqualTo("UP");
        assertThat(ready.path("components").path("spop").path("status").asString()).isEqualTo("UP");

        JsonNode liveness = json.readTree(get("/actuator/health/liveness").body());
        assertThat(liveness.path("status").asString()).isEqualTo("UP");
        assertThat(liveness.path("components").has("spop")).isFalse();

        JsonNode info = json.readTree(get("/actuator/info").body());
        assertThat(info.path("build").path("artifact").asString()).isEqualTo("spoe-policy-service");
        if (Files.exists(Path.of("target/classes/git.properties"))) {
            // Built from a git checkout: the commit is shown.
            assertThat(info.path("git").path("commit").path("id").asString()).isNotEmpty();
        }

        for (String hidden : List.of("/actuator/env", "/actuator/configprops", "/actuator/heapdump",
                "/actuator/threaddump", "/actuator/loggers", "/actuator/shutdown", "/actuator/metrics")) {
            assertThat(get(hidden).statusCode()).as(hidden).isEqualTo(404);
        }
    }

    @Test
    void dashboardQueriesOnlyMetersTheServiceExports() throws Exception {
        Meters m = meters();
        double late = m.count("spoe.acks.late");
        try (SpopTestClient client = connect()) {
            client.handshake();
            client.request(MessageBuilder.checkRequest().ip("10.0.0.1").build());
            client.request(MessageBuilder.message("waf").build());
            client.request(MessageBuilder.message("sleepy").argument("ms", TypedValue.of(PAST_THE_DEADLINE_MILLIS)).build());
        }
        // The late ACK is counted once its write completed, which can be just after this thread
        // read it: counted here, not in the baseline of the test that runs next (which asserts
        // that it added no late ACK).
        await().atMost(WAIT).untilAsserted(() -> assertThat(m.count("spoe.acks.late")).isEqualTo(late + 1));
        String dashboard = Files.readString(Path.of("helm/spoe-policy-service/dashboards/spoe-policy-service.json"));
        assertThat(json.readTree(dashboard).path("uid").asString()).isEqualTo("spoe-policy-service");
        Set<String> queried = new TreeSet<>();
        Matcher names = Pattern.compile("\\b(spoe_[a-z_]+)").matcher(dashboard);
        while (names.find()) {
            queried.add(names.group(1));
        }
        assertThat(queried).hasSizeGreaterThan(20);
        await().atMost(WAIT).untilAsserted(() -> {
            String scrape = get("/actuator/prometheus").body();
            assertThat(queried).allSatisfy(name -> assertThat(scrape).as(name).containsPattern(
                    "(?m)^" + Pattern.quote(name) + "[{ ]"));
        });
    }
}
