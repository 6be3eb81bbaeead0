package io.spoepolicy.observability;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.spoepolicy.SpoePolicyApplication;
import io.spoepolicy.server.SpoeServer;
import io.spoepolicy.testkit.AgentFrame;
import io.spoepolicy.testkit.MessageBuilder;
import io.spoepolicy.testkit.SpopTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Shuts a running service down while a SPOP connection is open and watches it from the management
 * port: readiness turns not-ready with the spop component OUT_OF_SERVICE, the scrape shows the
 * drain, and the drain's outcome ends up in the meters.
 */
class DrainReadinessTest {

    /**
     * HTTP servers of this context on their own Reactor Netty resources: with Boot's default
     * global resources, closing this context would stop the HTTP servers of every other context
     * the test framework keeps cached in this JVM.
     */
    @Configuration(proxyBeanMethods = false)
    static class OwnReactorResources {
        @Bean
        ReactorResourceFactory reactorResourceFactory() {
            ReactorResourceFactory factory = new ReactorResourceFactory();
            factory.setUseGlobalResources(false);
            return factory;
        }
    }

    private static final JsonMapper json = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ConfigurableApplicationContext context;

    @AfterEach
    void closeContext() {
        if (context != null) {
            context.close();
        }
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readinessGoesOutOfServiceWhileDrainingAndTheDrainIsMeasured() throws Exception {
        // Command-line arguments: builder "properties" are defaults, which application.yml overrides.
        context = new SpringApplicationBuilder(SpoePolicyApplication.class, OwnReactorResources.class).run(
                "--spoe.server.port=0", "--server.port=0", "--management.server.port=0",
                "--spoe.server.drain.window=2s", "--spoe.server.drain.quiet-period=100ms",
                "--spoe.server.drain.linger=1s", "--spoe.server.drain.deadline=10s");
        SpoeServer server = context.getBean(SpoeServer.class);
        MeterRegistry registry = context.getBean(MeterRegistry.class);
        int management = Integer.parseInt(context.getEnvironment().getProperty("local.management.port"));

        try (SpopTestClient client = SpopTestClient.connect("127.0.0.1", server.address().getPort())) {
            client.handshake();
            assertThat(client.request(MessageBuilder.checkRequest().ip("10.0.0.1").build()).text("action"))
                    .isEqualTo("allow");
            assertThat(get(management, "/actuator/health/readiness").statusCode()).isEqualTo(200);

            ConfigurableApplicationContext closing = context;
            CompletableFuture<Void> shutdown = CompletableFuture.runAsync(closing::close);

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                HttpResponse<String> readiness = get(management, "/actuator/health/readiness");
                assertThat(readiness.statusCode()).isEqualTo(503);
                JsonNode body = json.readTree(readiness.body());
                assertThat(body.path("status").asString()).isEqualTo("OUT_OF_SERVICE");
                assertThat(body.path("components").path("spop").path("status").asString()).isEqualTo("OUT_OF_SERVICE");
            });
            assertThat(get(management, "/actuator/prometheus").body())
                    .contains("spoe_server_state{state=\"draining\"} 1.0")
                    .contains("spoe_server_state{state=\"running\"} 0.0");
            // Liveness is not affected by the drain.
            assertThat(get(management, "/actuator/health/liveness").statusCode()).isEqualTo(200);

            // Still served during the drain window, then let go once quiet.
            assertThat(client.request(MessageBuilder.checkRequest().ip("10.0.0.1").build()).text("action"))
                    .isEqualTo("allow");
            AgentFrame.Disconnect disconnect = client.receive(AgentFrame.Disconnect.class);
            assertThat(disconnect.statusCode()).isZero();
            client.close();

            shutdown.get(30, TimeUnit.SECONDS);
        }
        Meters m = new Meters(registry);
        assertThat(m.gauge("spoe.drain.last.sessions", "result", "drained")).isEqualTo(1);
        assertThat(m.gauge("spoe.drain.last.sessions", "result", "forced")).isZero();
        assertThat(m.gauge("spoe.drain.last.duration")).isGreaterThanOrEqualTo(2);
        assertThat(m.gauge("spoe.server.state", "state", "stopped")).isEqualTo(1);
        assertThat(m.count("spoe.connections.closed", "reason", "agent-drained")).isEqualTo(1);
    }
}
