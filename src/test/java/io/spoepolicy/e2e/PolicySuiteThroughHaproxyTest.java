package io.spoepolicy.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.reactive.function.client.WebClient;

import io.spoepolicy.SpoePolicyApplication;
import io.spoepolicy.policy.Outcome;
import io.spoepolicy.policy.PolicyListener;
import io.spoepolicy.policy.PolicyRequest;
import io.spoepolicy.server.SpoeServer;
import io.spoepolicy.testsupport.FreePorts;
import io.spoepolicy.testsupport.HaproxyConfig;
import io.spoepolicy.testsupport.HaproxyProcess;
import io.spoepolicy.testsupport.HttpLoad;
import io.spoepolicy.testsupport.HttpLoadResult;
import io.spoepolicy.testsupport.HttpOutcome;
import io.spoepolicy.testsupport.JwksServer;
import io.spoepolicy.testsupport.QuickStart;
import io.spoepolicy.testsupport.RedisProcess;
import io.spoepolicy.testsupport.RequiresHaproxy;
import io.spoepolicy.testsupport.RequiresRedis;
import io.spoepolicy.testsupport.ServerState;
import io.spoepolicy.testsupport.Tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The policy suite through a real HAProxy (the quick-start configuration plus the rules of
 * docs/policies.md) in front of two agent replicas that share a real Redis, with a JWKS endpoint
 * served by the test.
 */
@RequiresHaproxy
@RequiresRedis
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PolicySuiteThroughHaproxyTest {

    static final String ISSUER = "https://idp.test/";
    static final String AUDIENCE = "orders-api";
    static final String CATCH_ALL_DENY = "    http-request deny deny_status 403 if { var(txn.policy.action) -m str deny }\n";
    static final String DEMO_BACKEND = "    http-request return status 200 content-type text/plain string \"ok\\n\"\n";

    final Path directory = Path.of("target/e2e-policy-suite");
    final Path agentConfig = directory.resolve("agent.yml");
    final List<ConfigurableApplicationContext> agents = new ArrayList<>();
    final List<AtomicLong> decisions = new ArrayList<>();
    RSAKey signingKey;
    JwksServer idp;
    RedisProcess redis;
    HaproxyProcess haproxy;
    int frontend;

    @BeforeAll
    void start() throws IOException {
        Files.createDirectories(directory);
        signingKey = Tokens.rsaKey("k1");
        idp = JwksServer.start(new JWKSet(signingKey));
        redis = RedisProcess.startNew();
        writeAgentConfig("");
        for (int i = 0; i < 2; i++) {
            AtomicLong counter = new AtomicLong();
            decisions.add(counter);
            agents.add(startAgent(counter));
        }
        frontend = FreePorts.next();
        HaproxyConfig config = QuickStart.builder()
                .frontendPort(frontend)
                .agentPorts(spopPort(0), spopPort(1))
                .frontendLine("http-after-response set-header x-ratelimit-fallback %[var(txn.policy.ratelimit_fallback)] "
                        + "if { var(txn.policy.ratelimit_fallback) -m found }")
                .build()
                .replace(HaproxyConfig.MAIN_FILE, CATCH_ALL_DENY, rules() + CATCH_ALL_DENY, 1)
                // The demo backend tells the test which identity it received.
                .replace(HaproxyConfig.MAIN_FILE, DEMO_BACKEND, DEMO_BACKEND.replace("\n",
                        " hdr x-seen-subject \"%[req.hdr(x-auth-subject)]\"\n"), 1)
                // This machine is shared and slow; the agents get 2 s per decision (see agent config).
                .replace(QuickStart.SPOE_FILE, "timeout processing 500ms", "timeout processing 3s", 1)
                // Two check answers slower than "inter" (1 s, also the check timeout when none is set)
                // take a replica DOWN, and a burst with the other replica alone fails "both replicas
                // decided": on a starved machine that measures the CPU, not the suite.
                .replace(HaproxyConfig.MAIN_FILE, "    option spop-check\n",
                        "    option spop-check\n    timeout check 5s\n", 1);
        haproxy = HaproxyProcess.start(config);
        haproxy.awaitServerState("be_spoe_agents", "agent1", ServerState.UP, Duration.ofSeconds(20));
        haproxy.awaitServerState("be_spoe_agents", "agent2", ServerState.UP, Duration.ofSeconds(20));
    }

    @AfterAll
    void stop() {
        if (haproxy != null) {
            haproxy.close();
        }
        agents.forEach(ConfigurableApplicationContext::close);
        if (redis != null) {
            redis.close();
        }
        if (idp != null) {
            idp.close();
        }
    }

    @Test
    @Order(1)
    void deniesByAddressAndDetectOnlyReportsWithoutDenying() {
        assertThat(get("/").status()).isEqualTo(200);
        HttpOutcome denied = HttpLoad.to(frontend).path("/").from("127.0.0.2").capture("x-policy-action").send();
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.header("x-policy-action")).contains("deny");
        HttpOutcome detected = HttpLoad.to(frontend).path("/detect/x").from("127.0.0.2")
                .capture("x-policy-action", "x-policy-detect").send();
        assertThat(detected.status()).isEqualTo(200);
        assertThat(detected.header("x-policy-action")).contains("allow");
        assertThat(detected.header("x-policy-detect")).contains("ip-access ip-denied 403");
    }

    @Test
    @Order(2)
    void jwtGives401ForMissingExpiredAndForgedTokensAnd200WithTheSubjectForwarded() {
        HttpOutcome missing = api(null);
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.header("www-authenticate")).contains("Bearer realm=\"spoe\"");

        String expired = Tokens.sign(signingKey, Tokens.claims("alice", ISSUER, AUDIENCE)
                .expirationTime(Date.from(Instant.now().minus(Duration.ofMinutes(10)))).build());
        HttpOutcome expiredOutcome = api(expired);
        assertThat(expiredOutcome.status()).isEqualTo(401);
        assertThat(expiredOutcome.header("www-authenticate").orElseThrow())
                .contains("error=\"invalid_token\"", "token-expired");

        String forged = Tokens.sign(Tokens.rsaKey("k1"), Tokens.claims("alice", ISSUER, AUDIENCE).build());
        HttpOutcome forgedOutcome = api(forged);
        assertThat(forgedOutcome.status()).isEqualTo(401);
        assertThat(forgedOutcome.header("www-authenticate").orElseThrow()).contains("token-invalid-signature");

        String valid = Tokens.sign(signingKey, Tokens.claims("alice", ISSUER, AUDIENCE).build());
        HttpOutcome ok = api(valid);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.header("x-seen-subject")).contains("alice");

        // A client cannot forge the forwarded identity.
        HttpOutcome spoofed = HttpLoad.to(frontend).path("/public").header("x-auth-subject", "mallory")
                .capture("x-seen-subject").send();
        assertThat(spoofed.status()).isEqualTo(200);
        assertThat(spoofed.header("x-seen-subject").orElse("")).as("client-sent x-auth-subject removed").isEmpty();
    }

    @Test
    @Order(3)
    void rateLimitIsSharedByBothReplicasThroughRedis() {
        List<Integer> statuses = new ArrayList<>();
        List<String> remaining = new ArrayList<>();
        HttpOutcome last = null;
        for (int i = 0; i < 8; i++) {
            last = limited("client-a");
            statuses.add(last.status());
            remaining.add(last.header("ratelimit").orElse("<none>"));
        }
        assertThat(statuses).containsExactly(200, 200, 200, 200, 200, 429, 429, 429);
        assertThat(remaining.subList(0, 5)).containsExactly(
                "limit=5, remaining=4, reset=720", "limit=5, remaining=3, reset=1440",
                "limit=5, remaining=2, reset=2160", "limit=5, remaining=1, reset=2880",
                "limit=5, remaining=0, reset=3600");
        assertThat(last.header("retry-after")).contains("720");
        assertThat(last.header("ratelimit-policy")).contains("5;w=3600");

        // Many at once over 20 connections: exactly the limit gets through, whichever replica decides.
        long before0 = decisions.get(0).get();
        long before1 = decisions.get(1).get();
        HttpLoadResult burst = HttpLoad.to(frontend).path("/burst").header("x-client", "client-burst")
                .connections(20).requests(100).capture("ratelimit").timeout(Duration.ofSeconds(120)).run();
        System.out.printf("Through HAProxy: %d concurrent requests on 20 connections, limit 20: %s; "
                + "decisions per replica %d / %d%n", 100, burst.statusCounts(), decisions.get(0).get() - before0,
                decisions.get(1).get() - before1);
        assertThat(burst.statusCounts()).isEqualTo(Map.of(200, 20L, 429, 80L));
        assertThat(decisions.get(0).get() - before0).as("replica 1 decided some").isPositive();
        assertThat(decisions.get(1).get() - before1).as("replica 2 decided some").isPositive();
    }

    @Test
    @Order(4)
    void redisStoppedMidRunGivesTheLocalFallbackAndRecovers() {
        assertThat(limited("client-b").status()).isEqualTo(200);
        redis.stop();
        int allowed = 0;
        int requests = 12;
        for (int i = 0; i < requests; i++) {
            HttpOutcome outcome = limited("client-c");
            assertThat(outcome.header("x-ratelimit-fallback")).contains("local");
            assertThat(outcome.header("x-policy-error")).isEmpty();
            assertThat(outcome.status()).isIn(200, 429);
            allowed += outcome.status() == 200 ? 1 : 0;
        }
        System.out.printf("Through HAProxy with Redis stopped: %d requests, %d allowed by the local fallback "
                + "(limit 5 split over 2 replicas = 3 each)%n", requests, allowed);
        // Each replica allows ceil(5 / 2) = 3 on its own.
        assertThat(allowed).isBetween(3, 6);
        assertThat(health(0)).as("/actuator/health redis while Redis is stopped").isEqualTo("DOWN");

        redis.start();
        // Both replicas back on Redis: health UP on each, and a run of decisions without fallback.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> "UP".equals(health(0)) && "UP".equals(health(1)));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            for (int i = 0; i < 6; i++) {
                if (limited("probe-" + System.nanoTime()).header("x-ratelimit-fallback").isPresent()) {
                    return false;
                }
            }
            return true;
        });
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            HttpOutcome outcome = limited("client-d");
            assertThat(outcome.header("x-ratelimit-fallback")).isEmpty();
            statuses.add(outcome.status());
        }
        assertThat(statuses).containsExactly(200, 200, 200, 200, 200, 429);
    }

    @Test
    @Order(5)
    void badReloadIsRejectedAndTheOldRulesKeepWorking() throws IOException {
        writeAgentConfig("      deny: [127.0.0.2/32, 127.0.0.300]\n");
        for (int i = 0; i < agents.size(); i++) {
            Map<String, Object> result = reload(i);
            assertThat(result).containsEntry("applied", false);
            assertThat((String) result.get("reason")).startsWith("spoe.policies.ip-access.deny[1]:");
        }
        assertThat(HttpLoad.to(frontend).path("/").from("127.0.0.2").send().status()).isEqualTo(403);
        assertThat(api(null).status()).isEqualTo(401);
        assertThat(HttpLoad.to(frontend).path("/").from("127.0.0.3").send().status()).isEqualTo(200);

        writeAgentConfig("      deny: [127.0.0.2/32, 127.0.0.3/32]\n");
        for (int i = 0; i < agents.size(); i++) {
            assertThat(reload(i)).containsEntry("applied", true);
        }
        assertThat(HttpLoad.to(frontend).path("/").from("127.0.0.3").send().status()).isEqualTo(403);
        assertThat(HttpLoad.to(frontend).path("/").send().status()).isEqualTo(200);
    }

    private HttpOutcome get(String path) {
        return HttpLoad.to(frontend).path(path).capture("x-policy-action").send();
    }

    private HttpOutcome api(String token) {
        HttpLoad load = HttpLoad.to(frontend).path("/api/orders").capture("www-authenticate", "x-seen-subject");
        if (token != null) {
            load.header("Authorization", "Bearer " + token);
        }
        return load.send();
    }

    private HttpOutcome limited(String client) {
        return HttpLoad.to(frontend).path("/limited").header("x-client", client)
                .capture("ratelimit", "ratelimit-policy", "retry-after", "x-ratelimit-fallback", "x-policy-error").send();
    }

    private Map<String, Object> reload(int agent) {
        String port = agents.get(agent).getEnvironment().getProperty("local.management.port");
        return WebClient.create("http://127.0.0.1:" + port).post().uri("/actuator/policies").retrieve()
                .bodyToMono(new ParameterizedTypeReference<Map<String, Object>>() { })
                .block(Duration.ofSeconds(60));
    }

    /** Status of the {@code redis} component of an agent's {@code /actuator/health}. */
    @SuppressWarnings("unchecked")
    private String health(int agent) {
        String port = agents.get(agent).getEnvironment().getProperty("local.management.port");
        Map<String, Object> health = WebClient.create("http://127.0.0.1:" + port).get().uri("/actuator/health")
                .exchangeToMono(response -> response.bodyToMono(new ParameterizedTypeReference<Map<String, Object>>() { }))
                .block(Duration.ofSeconds(30));
        Map<String, Object> components = (Map<String, Object>) health.get("components");
        return (String) ((Map<String, Object>) components.get("redis")).get("status");
    }

    private int spopPort(int agent) {
        return agents.get(agent).getBean(SpoeServer.class).address().getPort();
    }

    private ConfigurableApplicationContext startAgent(AtomicLong counter) {
        PolicyListener listener = new PolicyListener() {
            @Override
            public void completed(PolicyRequest request, Outcome outcome, long nanos) {
                counter.incrementAndGet();
            }
        };
        return new SpringApplicationBuilder(SpoePolicyApplication.class)
                .initializers(context -> context.getBeanFactory().registerSingleton("decisionCounter", listener))
                .run("--spoe.server.port=0", "--server.port=0",
                        "--spring.config.additional-location=file:" + agentConfig.toAbsolutePath(),
                        "--management.server.port=0", "--management.endpoint.policies.access=unrestricted",
                        "--management.endpoints.web.exposure.include=health,policies",
                        "--spoe.policies.deadline=2s",
                        "--spoe.server.drain.window=100ms", "--spoe.server.drain.quiet-period=50ms",
                        "--spoe.server.drain.linger=100ms", "--spoe.server.drain.deadline=2s");
    }

    /** The agents' policy configuration; {@code ipAccessExtra} replaces the deny line. */
    private void writeAgentConfig(String ipAccessDeny) {
        String deny = ipAccessDeny.isEmpty() ? "      deny: [127.0.0.2/32]\n" : ipAccessDeny;
        String yaml = """
                spoe:
                  policies:
                    ip-access:
                      enabled: true
                %s      scopes:
                        - paths: [/detect]
                          mode: detect-only
                    jwt:
                      enabled: true
                      issuer: %s
                      audiences: [%s]
                      jwk-set-uri: %s
                      scopes:
                        - paths: [/]
                          enabled: false
                        - paths: [/api]
                    rate-limit:
                      enabled: true
                      store: redis
                      limit: 5
                      period: 1h
                      key: header
                      header: x-client
                      redis:
                        uri: %s
                        timeout: 1s
                        reconnect-max-delay: 200ms
                        fallback: local
                        fallback-replicas: 2
                      scopes:
                        - paths: [/]
                          enabled: false
                        - name: limited
                          paths: [/limited]
                        - name: burst
                          paths: [/burst]
                          limit: 20
                """.formatted(deny, ISSUER, AUDIENCE, idp.uri(), redis.uri());
        try {
            Path temp = Files.writeString(directory.resolve("agent.yml.tmp"), yaml);
            Files.move(temp, agentConfig, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static String rules() {
        return HaproxyConfig.fromClasspath("haproxy", "haproxy.cfg", "policy-rules.cfg").files().get("policy-rules.cfg");
    }
}
