package io.spoepolicy.observability;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.spoepolicy.server.SpoeServer;
import io.spoepolicy.testkit.MessageBuilder;
import io.spoepolicy.testkit.SpopTestClient;
import io.spoepolicy.testsupport.JwksServer;
import io.spoepolicy.testsupport.Tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The JWT policy's cache meters as Prometheus scrapes them, after real SPOP requests: a token's
 * first use is a miss, its second a hit, a token that does not fit in the one-entry cache evicts
 * one, and a token whose {@code kid} the identity provider does not publish misses both caches.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spoe.server.port=0", "server.port=0", "management.server.port=0", "spoe.server.host=127.0.0.1",
        "spoe.policies.jwt.enabled=true", "spoe.policies.jwt.cache.max-entries=1"})
class JwtCacheMetricsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final RSAKey KEY = Tokens.rsaKey("k1");
    private static final JwksServer JWKS = JwksServer.start(new JWKSet(KEY.toPublicJWK()));

    @DynamicPropertySource
    static void jwks(DynamicPropertyRegistry registry) {
        registry.add("spoe.policies.jwt.jwk-set-uri", JWKS::uri);
    }

    @AfterAll
    static void stopJwks() {
        JWKS.close();
    }

    @Autowired
    SpoeServer server;

    @LocalManagementPort
    int managementPort;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void countsHitsMissesEvictionsAndSizeOfBothCaches() throws Exception {
        // The key set is fetched in the background at start-up: wait for it, so the first token's
        // key lookup is a hit and the counts below are exact.
        await().atMost(WAIT).until(() -> scrape().value("cache_size", "cache=\"jwks\"") == 1);
        Scrape before = scrape();
        String alice = Tokens.sign(KEY, Tokens.claims("alice", "https://idp.test/", "api").build());
        String bob = Tokens.sign(KEY, Tokens.claims("bob", "https://idp.test/", "api").build());
        String unknownKid = Tokens.sign(Tokens.rsaKey("k9"), Tokens.claims("eve", "https://idp.test/", "api").build());

        List<String> actions;
        try (SpopTestClient client = SpopTestClient.connect("127.0.0.1", server.address().getPort())) {
            client.handshake();
            actions = List.of(alice, alice, bob, unknownKid).stream().map(token -> {
                try {
                    return client.request(MessageBuilder.checkRequest().ip("198.51.100.7").method("GET")
                            .path("/orders").header("authorization", "Bearer " + token).build()).text("action");
                }
                catch (IOException ex) {
                    throw new IllegalStateException(ex);
                }
            }).toList();
        }
        assertThat(actions).containsExactly("allow", "allow", "allow", "deny");

        // Bob's entry does not fit beside Alice's: one of them is evicted, by Caffeine's maintenance.
        await().atMost(WAIT).untilAsserted(() -> {
            Scrape after = scrape();
            assertThat(after.value("cache_evictions_total", "cache=\"verified-tokens\"")
                    - before.value("cache_evictions_total", "cache=\"verified-tokens\"")).isEqualTo(1);
            assertThat(after.value("cache_size", "cache=\"verified-tokens\"")).isEqualTo(1);
        });
        Scrape after = scrape();
        assertThat(after.delta(before, "cache_gets_total", "cache=\"verified-tokens\"", "result=\"hit\"")).isEqualTo(1);
        assertThat(after.delta(before, "cache_gets_total", "cache=\"verified-tokens\"", "result=\"miss\"")).isEqualTo(3);
        // Alice's and Bob's keys were cached; the unknown kid was not, and it is too early to refetch.
        assertThat(after.delta(before, "cache_gets_total", "cache=\"jwks\"", "result=\"hit\"")).isEqualTo(2);
        assertThat(after.delta(before, "cache_gets_total", "cache=\"jwks\"", "result=\"miss\"")).isEqualTo(1);
        assertThat(after.value("cache_size", "cache=\"jwks\"")).isEqualTo(1);
        assertThat(after.value("spoe_jwks_fetches_total", "policy=\"jwt\"")).isEqualTo(JWKS.hits());
        assertThat(after.value("spoe_jwks_fetch_failures_total", "policy=\"jwt\"")).isZero();
        assertThat(after.text()).contains("cache_gets_total{cache=\"verified-tokens\",policy=\"jwt\",result=\"hit\"}");
    }

    private Scrape scrape() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + managementPort + "/actuator/prometheus"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return new Scrape(response.body());
    }

    /** One Prometheus text exposition. */
    private record Scrape(String text) {

        /** The sample of that name whose labels include all those given; fails when there is none or several. */
        double value(String name, String... labels) {
            List<String> lines = text.lines()
                    .filter(line -> line.startsWith(name + "{"))
                    .filter(line -> List.of(labels).stream().allMatch(line::contains))
                    .toList();
            assertThat(lines).as(name + " " + List.of(labels)).hasSize(1);
            String line = lines.get(0);
            return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }

        double delta(Scrape before, String name, String... labels) {
            return value(name, labels) - before.value(name, labels);
        }
    }
}
