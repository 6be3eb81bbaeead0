package io.spoepolicy.observability;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.spoepolicy.SpoePolicyApplication;
import io.spoepolicy.server.SpoeServer;
import io.spoepolicy.testkit.AgentFrame;
import io.spoepolicy.testkit.MessageBuilder;
import io.spoepolicy.testkit.SpopTestClient;
import io.spoepolicy.testsupport.GlobalLoggingState;
import io.spoepolicy.testsupport.IsolatedReactorResources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A service started and stopped by the test itself, as in production: with structured JSON logs
 * switched on by the property, and shut down while a SPOP connection is open to watch the drain
 * from the management port.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(OutputCaptureExtension.class)
class StandaloneServiceTest {

    private static final JsonMapper json = JsonMapper.builder().build();

    /**
     * The draining state (readiness 503, the state gauge) lasts the window: long enough for the
     * readiness polls and a cold first scrape below on a loaded machine (2 s was tight).
     */
    private static final int DRAIN_WINDOW_SECONDS = 6;

    private static GlobalLoggingState loggingBefore;
    private static ConfigurableApplicationContext context;
    private static int spopPort;
    private static int managementPort;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        loggingBefore = GlobalLoggingState.capture();
        // Boot configures logging once per JVM while any context that did so is open (the test
        // framework caches contexts): release it so this application applies its own format.
        LoggingSystem.get(StandaloneServiceTest.class.getClassLoader()).cleanUp();
        // Command-line arguments: builder "properties" are defaults, which application.yml overrides.
        context = new SpringApplicationBuilder(SpoePolicyApplication.class, IsolatedReactorResources.class).run(
                "--spoe.server.port=0", "--server.port=0", "--management.server.port=0",
                "--logging.structured.format.console=ecs",
                "--spoe.server.drain.window=" + DRAIN_WINDOW_SECONDS + "s", "--spoe.server.drain.quiet-period=100ms",
                "--spoe.server.drain.linger=1s", "--spoe.server.drain.deadline=10s");
        spopPort = context.getBean(SpoeServer.class).address().getPort();
        managementPort = Integer.parseInt(context.getEnvironment().getProperty("local.management.port"));
    }

    @AfterAll
    static void stop() {
        if (context != null) {
            context.close();
        }
        // Otherwise the JSON console format stays on for every later test in this JVM.
        if (loggingBefore != null) {
            loggingBefore.restore();
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Order(1)
    void decisionLogWritesOneEscapedJsonLinePerDeny(CapturedOutput output) throws Exception {
        try (SpopTestClient client = SpopTestClient.connect("127.0.0.1", spopPort)) {
            client.handshake();
            AgentFrame.Ack ack = client.request(MessageBuilder.checkRequest().ip("127.0.0.2")
                    .path("/admin\r\n{\"forged\":true}").build());
            assertThat(ack.text("action")).isEqualTo("deny");
            assertThat(client.request(MessageBuilder.checkRequest().ip("10.0.0.1").path("/allowed").build())
                    .text("action")).isEqualTo("allow");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> output.getOut().contains("/admin"));
        List<String> decisionLines = output.getOut().lines().filter(line -> line.contains("/admin")).toList();
        assertThat(decisionLines).hasSize(1);
        JsonNode line = json.readTree(decisionLines.get(0));
        assertThat(line.path("log").path("logger").asString()).isEqualTo(DecisionLog.LOGGER);
        assertThat(line.path("message").asString()).startsWith("decision action=deny message=check-request "
                + "policy=ip-access status=403 reason=ip-denied latency_us=")
                .endsWith("client=127.0.0.2 method=\"GET\" path=\"/admin\\r\\n{\\\"forged\\\":true}\"");
        assertThat(line.path("spoe").path("action").asString()).isEqualTo("deny");
        assertThat(line.path("spoe").path("policy").asString()).isEqualTo("ip-access");
        assertThat(line.path("spoe").path("status").asInt()).isEqualTo(403);
        assertThat(line.path("client").path("ip").asString()).isEqualTo("127.0.0.2");
        assertThat(line.path("url").path("path").asString()).isEqualTo("/admin\\r\\n{\\\"forged\\\":true}");
        assertThat(output.getOut().lines()).noneMatch(l -> l.startsWith("{\"forged\""));
        // Allowed requests are not logged unless sampled (allow-sample-rate is 0 by default).
        assertThat(output.getOut()).doesNotContain("/allowed");
    }

    @Test
    @Order(2)
    void readinessGoesOutOfServiceWhileDrainingAndTheDrainIsMeasured() throws Exception {
        MeterRegistry registry = context.getBean(MeterRegistry.class);
        // Its DISCONNECT comes after the window: read with a timeout longer than that.
        try (SpopTestClient client = SpopTestClient.connect(new InetSocketAddress("127.0.0.1", spopPort),
                Duration.ofSeconds(DRAIN_WINDOW_SECONDS + 15))) {
            client.handshake();
            assertThat(client.request(MessageBuilder.checkRequest().ip("10.0.0.1").build()).text("action"))
                    .isEqualTo("allow");
            assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200);

            ConfigurableApplicationContext closing = context;
            CompletableFuture<Void> shutdown = CompletableFuture.runAsync(closing::close);

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                HttpResponse<String> readiness = get("/actuator/health/readiness");
                assertThat(readiness.statusCode()).isEqualTo(503);
                JsonNode body = json.readTree(readiness.body());
                assertThat(body.path("status").asString()).isEqualTo("OUT_OF_SERVICE");
                assertThat(body.path("components").path("spop").path("status").asString())
                        .isEqualTo("OUT_OF_SERVICE");
            });
            assertThat(get("/actuator/prometheus").body())
                    .contains("spoe_server_state{state=\"draining\"} 1.0")
                    .contains("spoe_server_state{state=\"running\"} 0.0");
            // Liveness is not affected by the drain.
            assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);

            // Let go once quiet.
            AgentFrame.Disconnect disconnect = client.receive(AgentFrame.Disconnect.class);
            assertThat(disconnect.statusCode()).isZero();
            client.close();

            shutdown.get(30, TimeUnit.SECONDS);
        }
        Meters m = new Meters(registry);
        assertThat(m.gauge("spoe.drain.last.sessions", "result", "drained")).isEqualTo(1);
        assertThat(m.gauge("spoe.drain.last.sessions", "result", "forced")).isZero();
        assertThat(m.gauge("spoe.drain.last.duration")).isGreaterThanOrEqualTo(DRAIN_WINDOW_SECONDS);
        assertThat(m.gauge("spoe.server.state", "state", "stopped")).isEqualTo(1);
        assertThat(m.count("spoe.connections.closed", "reason", "agent-drained")).isEqualTo(1);
    }
}
