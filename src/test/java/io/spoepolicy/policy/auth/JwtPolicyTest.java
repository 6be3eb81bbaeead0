package io.spoepolicy.policy.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.spoepolicy.policy.SpoePolicy;
import io.spoepolicy.policy.resilience.GuardFactory;
import io.spoepolicy.policy.settings.PolicyConfigurationException;
import io.spoepolicy.testkit.AgentFrame;
import io.spoepolicy.testkit.MessageBuilder;
import io.spoepolicy.testkit.PolicyTester;
import io.spoepolicy.testsupport.JwksServer;
import io.spoepolicy.testsupport.Tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class JwtPolicyTest {

    static final String ISSUER = "https://idp.test/";
    static final String AUDIENCE = "orders-api";

    @RegisterExtension
    static final JwtFixture fixture = new JwtFixture();

    JwksServer idp;

    @AfterEach
    void stopIdp() {
        if (idp != null) {
            idp.close();
        }
    }

    @Test
    void validTokenIsAllowedAndItsClaimsReturnedAsVariables() {
        idp = JwksServer.start(new JWKSet(fixture.key1()));
        PolicyTester tester = PolicyTester.of(policy(Map.of("claim-variables.email", "user_email")));
        awaitKeys(tester);
        String token = Tokens.sign(fixture.key1(), Tokens.claims("alice", ISSUER, AUDIENCE).claim("scope", "orders:read profile")
                .claim("email", "alice@example.com").build());
        AgentFrame.Ack ack = tester.send(bearer(token, "/orders"));
        assertThat(ack.text("action")).isEqualTo("allow");
        assertThat(ack.text("user")).isEqualTo("alice");
        assertThat(ack.text("scopes")).isEqualTo("orders:read profile");
        assertThat(ack.text("user_email")).isEqualTo("alice@example.com");
    }

    @Test
    void missingExpiredForgedAndMisaddressedTokensGet401WithTheirReason() {
        idp = JwksServer.start(new JWKSet(fixture.key1()));
        PolicyTester tester = PolicyTester.of(policy(Map.of()));
        awaitKeys(tester);
        AgentFrame.Ack missing = tester.send(MessageBuilder.checkRequest().ip("192.0.2.1").build());
        assertThat(missing.text("status")).isEqualTo("401");
        assertThat(missing.text("reason")).isEqualTo("token-missing");
        assertThat(missing.text("www_authenticate")).isEqualTo("Bearer realm=\"spoe\"");

        Instant past = Instant.now().minus(Duration.ofMinutes(10));
        String expired = Tokens.sign(fixture.key1(), Tokens.claims("alice", ISSUER, AUDIENCE)
                .expirationTime(Date.from(past)).build());
        AgentFrame.Ack expiredAck = tester.send(bearer(expired, "/"));
        assertThat(expiredAck.text("status")).isEqualTo("401");
        assertThat(expiredAck.text("reason")).isEqualTo("token-expired");
        assertThat(expiredAck.text("www_authenticate"))
                .isEqualTo("Bearer realm=\"spoe\", error=\"invalid_token\", error_description=\"token-expired\"");

        String forged = Tokens.sign(fixture.impostor(), Tokens.claims("alice", ISSUER, AUDIENCE).build());
        assertThat(tester.send(bearer(forged, "/")).text("reason")).isEqualTo("token-invalid-signature");

        assertThat(reason(tester, Tokens.sign(fixture.key1(), Tokens.claims("alice", "https://evil/", AUDIENCE).build())))
                .isEqualTo("token-invalid-issuer");
        assertThat(reason(tester, Tokens.sign(fixture.key1(), Tokens.claims("alice", ISSUER, "other-api").build())))
                .isEqualTo("token-invalid-audience");
        assertThat(reason(tester, Tokens.sign(fixture.key1(), Tokens.claims("alice", ISSUER, AUDIENCE)
                .expirationTime(null).build()))).isEqualTo("token-invalid-claims");
        assertThat(reason(tester, Tokens.sign(fixture.key1(), Tokens.claims("alice", ISSUER, AUDIENCE)
                .notBeforeTime(Date.from(Instant.now().plus(Duration.ofMinutes(5)))).build())))
                .isEqualTo("token-not-yet-valid");
        assertThat(reason(tester, "not.a.token")).isEqualTo("token-malformed");
        // alg=none: an unsigned token is not a signed JWT at all.
        assertThat(reason(tester, "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9.")).isEqualTo("token-malformed");
    }

    @Test
    void algorithmConfusionIsRejected() throws Exception {
        idp = JwksServer.start(new JWKSet(fixture.key1()));
        PolicyTester tester = PolicyTester.of(policy(Map.of()));
        awaitKeys(tester);
        // HS256 "signed" with the RSA public key bytes: HS256 is not an accepted algorithm.
        byte[] publicBytes = fixture.key1().toRSAPublicKey().getEncoded();
        String confused = Tokens.sign(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k1").build(),
                new MACSigner(publicBytes), Tokens.claims("alice", ISSUER, AUDIENCE).build());
        assertThat(reason(tester, confused)).isEqualTo("token-algorithm-not-allowed");
        // Even with HS256 accepted, the remote set holds no secret key to verify it with.
        PolicyTester lenient = PolicyTester.of(policy(Map.of("algorithms", "RS256,HS256")));
        awaitKeys(lenient);
        assertThat(reason(lenient, confused)).isEqualTo("token-unknown-key");
    }

    @Test
    void requiredScopesAndClaimsPerPathGive403() {
        idp = JwksServer.start(new JWKSet(fixture.key1()));
        Map<String, String> config = new HashMap<>();
        config.put("required-scopes", "orders:read");
        config.put("scopes[0].paths", "/admin");
        config.put("scopes[0].required-scopes", "admin");
        config.put("scopes[0].required-claims.tenant", "acme");
        config.put("scopes[1].paths", "/health");
        config.put("scopes[1].allow-anonymous", "true");
        PolicyTester tester = PolicyTester.of(policy(config));
        awaitKeys(tester);
        String reader = Tokens.sign(fixture.key1(), Tokens.claims("bob", ISSUER, AUDIENCE).claim("scp", List.of("orders:read"))
                .build());
        String admin = Tokens.sign(fixture.key1(), Tokens.claims("carol", ISSUER, AUDIENCE).claim("scope", "admin")
                .claim("tenant", "acme").build());
        String otherTenant = Tokens.sign(fixture.key1(), Tokens.claims("dave", ISSUER, AUDIENCE).claim("scope", "admin")
                .claim("tenant", List.of("globex")).build());

        assertThat(tester.send(bearer(reader, "/orders/1")).text("action")).isEqualTo("allow");
        AgentFrame.Ack denied = tester.send(bearer(reader, "/admin/users"));
        assertThat(denied.text("status")).isEqualTo("403");
        assertThat(denied.text("reason")).isEqualTo("insufficient-scope");
        assertThat(denied.text("www_authenticate")).contains("error=\"insufficient_scope\"", "scope=\"admin\"");
        assertThat(tester.send(bearer(admin, "/admin/users")).text("user")).isEqualTo("carol");
        assertThat(tester.send(bearer(otherTenant, "/admin/users")).text("reason")).isEqualTo("claim-mismatch");
        assertThat(tester.send(bearer(admin, "/orders")).text("status")).isEqualTo("403");
        assertThat(tester.send(MessageBuilder.checkRequest().path("/health").build()).text("action")).isEqualTo("allow");
        assertThat(tester.send(bearer("garbage", "/health")).text("status")).isEqualTo("401");
    }

    @Test
    void keysAreCachedAndRefreshedOnUnknownKidAtMostOncePerInterval() {
        idp = JwksServer.start(new JWKSet(fixture.key1()));
        PolicyTester tester = PolicyTester.of(policy(Map.of("jwks.min-refresh-interval", "3s")));
        awaitKeys(tester);
        assertThat(idp.hits()).isEqualTo(1);
        String token1 = Tokens.sign(fixture.key1(), Tokens.claims("alice", ISSUER, AUDIENCE).build());
        for (int i = 0; i < 50; i++) {
            assertThat(tester.send(bearer(token1, "/")).text("action")).isEqualTo("allow");
        }
        assertThat(idp.hits()).as("50 tokens with a cached kid, one fetch").isEqualTo(1);

        // Rotation: the provider publishes k2. Tokens signed with it are unknown until the minimum
        // refresh interval since the last fetch has passed; then the first one triggers one refresh.
        List<String> randomKids = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            RSAKey random = new RSAKey.Builder(fixture.key1()).keyID("random-" + i).build();
            randomKids.add(Tokens.sign(random, Tokens.claims("eve", ISSUER, AUDIENCE).build()));
        }
        idp.keys(new JWKSet(List.of(fixture.key1(), fixture.key2())));
        String token2 = Tokens.sign(fixture.key2(), Tokens.claims("alice", ISSUER, AUDIENCE).build());
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> "allow".equals(tester.send(bearer(token2, "/")).text("action")));
        assertThat(idp.hits()).as("the rotation cost exactly one refresh").isEqualTo(2);

        // Random kids right after: no more fetches within the minimum refresh interval.
        for (String token : randomKids) {
            assertThat(reason(tester, token)).isEqualTo("token-unknown-key");
        }
        assertThat(idp.hits()).as("unknown kids cannot flood the identity provider").isEqualTo(2);
    }

    @Test
    void unreachableProviderKeepsCachedKeysAndAnswers503ForUnknownOnes() {
        idp = JwksServer.start(new JWKSet(fixture.key1()));
        // Open for 2 s: the 40 rounds below must find it open most of the time however slowly a
        // loaded machine runs them (with 300 ms, slow rounds let a trial call through each time).
        CircuitBreakerConfig breaker = CircuitBreakerConfig.from(JwtFamily.BREAKER_DEFAULTS)
                .waitDurationInOpenState(Duration.ofSeconds(2)).build();
        CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(Map.of(JwtFamily.GUARD, breaker));
        GuardFactory guards = new GuardFactory(registry, null);
        SpoePolicy jwt = policy(Map.of("jwks.min-refresh-interval", "0s"), guards);
        // The 503 comes from the 250 ms max-wait at the latest: a 5 s deadline keeps a starved
        // scheduler from turning it into agent_error=timeout (400 ms left 150 ms).
        PolicyTester tester = PolicyTester.of(Duration.ofSeconds(5), List.of(jwt));
        awaitKeys(tester);
        String cached = Tokens.sign(fixture.key1(), Tokens.claims("alice", ISSUER, AUDIENCE).build());
        String unknown = Tokens.sign(fixture.key2(), Tokens.claims("alice", ISSUER, AUDIENCE).build());

        idp.mode(JwksServer.Mode.ERROR);
        int before = idp.hits();
        int requests = 40;
        for (int i = 0; i < requests; i++) {
            assertThat(tester.send(bearer(cached, "/")).text("action")).isEqualTo("allow");
            AgentFrame.Ack ack = tester.send(bearer(unknown, "/"));
            assertThat(ack.text("status")).isEqualTo("503");
            assertThat(ack.text("reason")).isEqualTo("jwks-unavailable");
        }
        // Each unknown-kid request asked for a refresh; the open breaker kept most off the provider.
        int reached = idp.hits() - before;
        long notPermitted = registry.circuitBreaker(JwtFamily.GUARD).getMetrics().getNumberOfNotPermittedCalls();
        System.out.printf("JWKS outage: %d unknown-kid requests, %d reached the provider, %d refused by the breaker%n",
                requests, reached, notPermitted);
        assertThat(notPermitted).isPositive();
        JwtPolicy.JwksHealth health = ((JwtPolicy) jwt).jwksHealth();
        assertThat(health.reachable()).isFalse();
        assertThat(health.cachedKeys()).isEqualTo(1);
        assertThat(reached).isLessThan(requests / 2);

        // Recovery: once the provider answers again and the breaker lets a call through.
        idp.keys(new JWKSet(List.of(fixture.key1(), fixture.key2())));
        idp.mode(JwksServer.Mode.OK);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> "allow".equals(tester.send(bearer(unknown, "/")).text("action")));
    }

    @Test
    void slowProviderIsCutByTheTimeLimiterWithinTheChainDeadline() {
        idp = JwksServer.start(new JWKSet(fixture.key1()));
        // The provider answers after 4 s; the 150 ms max-wait answers long before the 1.5 s
        // deadline, which a loaded machine cannot reach by accident (it could reach 400 ms), while
        // a policy waiting for the fetch would reach it.
        Duration deadline = Duration.ofMillis(1500);
        idp.slowDelay(Duration.ofSeconds(4));
        idp.mode(JwksServer.Mode.SLOW);
        PolicyTester tester = PolicyTester.of(deadline,
                List.of(policy(Map.of("jwks.max-wait", "150ms", "jwks.min-refresh-interval", "0s"))));
        String token = Tokens.sign(fixture.key1(), Tokens.claims("alice", ISSUER, AUDIENCE).build());
        long start = System.nanoTime();
        AgentFrame.Ack ack = tester.send(bearer(token, "/"));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(ack.text("reason")).isEqualTo("jwks-unavailable");
        assertThat(ack.text("agent_error")).isNull();
        assertThat(millis).isLessThan(deadline.toMillis());
    }

    @Test
    void staticHmacKeysVerifyButRemoteSecretsAreIgnored() throws Exception {
        OctetSequenceKey secret = new OctetSequenceKeyGenerator(256).keyID("hs").generate();
        Map<String, String> config = new HashMap<>();
        config.put("enabled", "true");
        config.put("issuer", ISSUER);
        config.put("algorithms", "HS256");
        config.put("jwk-set", new JWKSet(secret).toString(false));
        SpoePolicy policy = build(config, GuardFactory.standalone());
        String token = Tokens.signHmac(secret, Tokens.claims("svc", ISSUER, AUDIENCE).build());
        assertThat(PolicyTester.of(policy).send(bearer(token, "/")).text("user")).isEqualTo("svc");
    }

    @Test
    void configurationErrorsNameTheProperty() {
        assertThatThrownBy(() -> build(Map.of("enabled", "true"), GuardFactory.standalone()))
                .isInstanceOf(PolicyConfigurationException.class)
                .hasMessageContaining("spoe.policies.jwt.jwk-set-uri, jwk-set-file or jwk-set");
        assertThatThrownBy(() -> build(Map.of("enabled", "true", "jwk-set-uri", "http://127.0.0.1:1/jwks",
                "algorithms", "RS256,none"), GuardFactory.standalone()))
                .hasMessageStartingWith("spoe.policies.jwt.algorithms[1]:");
        assertThatThrownBy(() -> build(Map.of("enabled", "true", "jwk-set", "{broken"), GuardFactory.standalone()))
                .hasMessageStartingWith("spoe.policies.jwt.jwk-set: not a valid JWK set");
        assertThatThrownBy(() -> build(Map.of("enabled", "true", "jwk-set-uri", "ftp://x/keys"),
                GuardFactory.standalone()))
                .hasMessageStartingWith("spoe.policies.jwt.jwk-set-uri:");
        assertThatThrownBy(() -> build(Map.of("enabled", "true", "jwk-set-uri", "http://127.0.0.1:1/jwks",
                "clock-skew", "soon"), GuardFactory.standalone()))
                .hasMessageStartingWith("spoe.policies.jwt.clock-skew:");
    }

    private SpoePolicy policy(Map<String, String> extra) {
        return policy(extra, GuardFactory.standalone());
    }

    private SpoePolicy policy(Map<String, String> extra, GuardFactory guards) {
        Map<String, String> config = new HashMap<>();
        config.put("enabled", "true");
        config.put("issuer", ISSUER);
        config.put("audiences", AUDIENCE);
        config.put("jwk-set-uri", idp.uri());
        config.putAll(extra);
        return build(config, guards);
    }

    static SpoePolicy build(Map<String, String> config, GuardFactory guards) {
        return fixture.build(config, guards, Clock.systemUTC());
    }

    /** Waits until the keys are cached: the first fetch of a cold client can take seconds on a busy machine. */
    private static void awaitKeys(PolicyTester tester) {
        String token = Tokens.sign(fixture.key1(), Tokens.claims("warm-up", ISSUER, AUDIENCE).claim("scope", "orders:read").build());
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> "allow".equals(tester.send(bearer(token, "/")).text("action")));
    }

    private static String reason(PolicyTester tester, String token) {
        return tester.send(bearer(token, "/")).text("reason");
    }

    static io.spoepolicy.protocol.SpopMessage bearer(String token, String path) {
        return MessageBuilder.checkRequest().ip("192.0.2.1").path(path).header("authorization", "Bearer " + token)
                .build();
    }

}
