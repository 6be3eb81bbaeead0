package io.spoepolicy.security;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.util.Base64URL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.spoepolicy.protocol.SpopMessage;
import io.spoepolicy.server.SpoeServer;
import io.spoepolicy.testkit.AgentFrame;
import io.spoepolicy.testkit.MessageBuilder;
import io.spoepolicy.testkit.SpopTestClient;
import io.spoepolicy.testsupport.FreePorts;
import io.spoepolicy.testsupport.Tokens;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Secrets stay out of logs and Actuator, and Actuator shows only what it should, with every
 * secret-bearing feature on: an API key given in clear in the configuration, a JWT policy with an
 * HMAC secret, and a Redis URI with a password (pointing where no Redis runs, so connection
 * errors get logged). Logging is at DEBUG for the service's own code and every decision is
 * logged. Requests carry valid, wrong, forged and expired credentials and a path with CR/LF.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spoe.server.port=0", "server.port=0", "management.server.port=0", "spoe.server.host=127.0.0.1",
        "logging.level.io.spoepolicy=DEBUG",
        "spoe.observability.decision-log.allow-sample-rate=1.0",
        "spoe.policies.api-key.enabled=true", "spoe.policies.api-key.keys[0].id=billing",
        "spoe.policies.api-key.keys[0].value=" + SecretsAndExposureTest.API_KEY,
        "spoe.policies.jwt.enabled=true", "spoe.policies.jwt.issuer=https://idp.test/",
        "spoe.policies.jwt.algorithms=HS256",
        "spoe.policies.rate-limit.enabled=true", "spoe.policies.rate-limit.store=redis",
        "spoe.policies.rate-limit.redis.fallback=fail-open"})
@ExtendWith(OutputCaptureExtension.class)
class SecretsAndExposureTest {

    static final String API_KEY = "ak-live-7f3c9e21b8d04a6f";
    static final String REDIS_PASSWORD = "rds-pw-c41d9a7e55";
    static final byte[] HMAC_SECRET = "hmac-secret-0123456789abcdef-XYZ!".getBytes(StandardCharsets.US_ASCII);
    static final OctetSequenceKey HMAC_KEY = new OctetSequenceKey.Builder(HMAC_SECRET).keyID("hs").build();

    @DynamicPropertySource
    static void secrets(DynamicPropertyRegistry registry) {
        registry.add("spoe.policies.jwt.jwk-set", () -> new JWKSet(HMAC_KEY).toString(false));
        // Nothing listens there: the limiter logs connection failures and answers with its fallback.
        registry.add("spoe.policies.rate-limit.redis.uri",
                () -> "redis://:" + REDIS_PASSWORD + "@127.0.0.1:" + FreePorts.next() + "/0");
    }

    @Autowired
    SpoeServer server;

    @LocalManagementPort
    int managementPort;

    @LocalServerPort
    int serverPort;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void secretsNeverAppearInLogsOrActuatorAndRequestValuesAreEscaped(CapturedOutput output) throws Exception {
        String valid = Tokens.signHmac(HMAC_KEY, Tokens.claims("alice", "https://idp.test/", "orders-api").build());
        String expired = Tokens.signHmac(HMAC_KEY, Tokens.claims("bob", "https://idp.test/", "orders-api")
                .expirationTime(Date.from(Instant.now().minus(Duration.ofHours(1)))).build());
        String forged = valid.substring(0, valid.lastIndexOf('.') + 1) + Base64URL.encode("not the signature");
        List<String> tokens = List.of(valid, expired, forged);

        List<AgentFrame.Ack> acks = new ArrayList<>();
        try (SpopTestClient client = SpopTestClient.connect("127.0.0.1", server.address().getPort())) {
            client.handshake();
            acks.add(client.request(request("/orders", API_KEY, valid)));
            acks.add(client.request(request("/orders", "wrong-key", valid)));
            acks.add(client.request(request("/orders", API_KEY, expired)));
            acks.add(client.request(request("/orders", API_KEY, forged)));
            acks.add(client.request(request("/x\r\nINJECTED-LOG-LINE level=ERROR\u2028", "wrong-key\r\nINJECTED-LOG-LINE",
                    valid)));
        }
        assertThat(acks).extracting(ack -> ack.text("action")).containsExactly("allow", "deny", "deny", "deny", "deny");

        List<String> bodies = new ArrayList<>();
        for (String path : List.of("/actuator", "/actuator/spoe", "/actuator/health", "/actuator/info",
                "/actuator/prometheus")) {
            HttpResponse<String> response = get(managementPort, path);
            // Health is DOWN (503) here: the Redis it reports on is unreachable on purpose.
            assertThat(response.statusCode()).as(path).isIn(200, 503);
            bodies.add(response.body());
        }

        List<String> secrets = new ArrayList<>(List.of(API_KEY, REDIS_PASSWORD, new String(HMAC_SECRET, StandardCharsets.US_ASCII),
                HMAC_KEY.getKeyValue().toString(), sha256Hex(API_KEY)));
        secrets.addAll(tokens);
        String logs = output.getAll();
        for (String secret : secrets) {
            assertThat(logs).as("logs").doesNotContain(secret);
            for (String body : bodies) {
                assertThat(body).as("actuator").doesNotContain(secret);
            }
        }
        // A JWT is never logged whole: not even its signed part (header.payload).
        for (String token : tokens) {
            assertThat(logs).doesNotContain(token.substring(0, token.lastIndexOf('.')));
        }
        assertThat(logs.lines()).as("no forged log line").noneMatch(line -> line.startsWith("INJECTED-LOG-LINE"));
        assertThat(logs).as("the decision log escapes the path").contains("\\r\\nINJECTED-LOG-LINE");
        System.out.printf("[figures] secrets: %d secrets checked against %d log characters and %d Actuator responses%n",
                secrets.size(), logs.length(), bodies.size());
    }

    @Test
    void actuatorExposesOnlyHealthInfoPrometheusAndSpoeOnTheManagementPort() throws Exception {
        JsonNode links = JsonMapper.builder().build().readTree(get(managementPort, "/actuator").body()).path("_links");
        List<String> exposed = new ArrayList<>();
        links.propertyNames().forEach(exposed::add);
        assertThat(exposed).containsExactlyInAnyOrder("self", "health", "health-path", "info", "prometheus", "spoe");

        for (String hidden : List.of("env", "env/PATH", "configprops", "heapdump", "threaddump", "beans", "mappings",
                "loggers", "loggers/ROOT", "conditions", "scheduledtasks", "caches", "metrics", "startup", "sbom",
                "logfile", "auditevents", "httpexchanges", "shutdown", "policies", "waf", "circuitbreakers",
                "circuitbreakerevents", "ratelimiters", "retries", "timelimiters", "bulkheads")) {
            assertThat(get(managementPort, "/actuator/" + hidden).statusCode()).as(hidden).isEqualTo(404);
            assertThat(post(managementPort, "/actuator/" + hidden).statusCode()).as("POST " + hidden).isIn(404, 405);
        }
        // Read-only: no write operation on the exposed ones.
        assertThat(post(managementPort, "/actuator/spoe").statusCode()).isIn(404, 405);
        // Nothing of Actuator on the main HTTP port.
        assertThat(get(serverPort, "/actuator/health").statusCode()).isEqualTo(404);
        assertThat(managementPort).isNotEqualTo(serverPort);
        // Health shows component states, never details (hosts, URIs, disk paths).
        String health = get(managementPort, "/actuator/health").body();
        assertThat(health).doesNotContain("\"details\"").doesNotContain("127.0.0.1").doesNotContain("redis://");
    }

    private static SpopMessage request(String path, String apiKey, String token) {
        return MessageBuilder.checkRequest().ip("198.51.100.30").method("GET").path(path)
                .header("x-api-key", apiKey).header("authorization", "Bearer " + token).build();
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String sha256Hex(String value) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    }
}
