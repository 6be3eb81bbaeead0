package io.spoepolicy.policy.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.spoepolicy.policy.Decision;
import io.spoepolicy.policy.PolicyRequest;
import io.spoepolicy.policy.resilience.GuardFactory;
import io.spoepolicy.policy.settings.PolicyConfigurationException;
import io.spoepolicy.protocol.SpopMessage;
import io.spoepolicy.testsupport.JwksServer;
import io.spoepolicy.testsupport.Tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The verified-token cache of {@link JwtPolicy}: same answers as without it, never longer-lived than the token or its key. */
class VerifiedTokenCacheTest {

    static final String ISSUER = "https://idp.test/";
    static final String AUDIENCE = "orders-api";

    @RegisterExtension
    static final JwtFixture fixture = new JwtFixture();

    JwksServer idp;
    final MutableClock clock = new MutableClock(Instant.now());

    @AfterEach
    void stopIdp() {
        if (idp != null) {
            idp.close();
        }
    }

    @Test
    void aHitAnswersExactlyAsAFullVerification() {
        Map<String, String> config = staticKeys(Map.of("claim-variables.email", "user_email",
                "scopes[0].paths", "/admin", "scopes[0].required-scopes", "admin",
                "scopes[1].paths", "/tenant", "scopes[1].required-claims.tenant", "acme"));
        JwtPolicy cached = build(config);
        Map<String, String> off = new HashMap<>(config);
        off.put("cache.max-entries", "0");
        JwtPolicy uncached = build(off);
        String token = Tokens.sign(fixture.key1(), Tokens.claims("alice", ISSUER, AUDIENCE).claim("scope", "orders:read profile")
                .claim("email", "alice@example.com").claim("tenant", "other").build());

        for (String path : new String[] {"/orders", "/admin", "/tenant", "/orders"}) {
            PolicyRequest hitRequest = request(token, path);
            Decision hit = cached.evaluate(hitRequest).block();
            PolicyRequest missRequest = request(token, path);
            Decision miss = uncached.evaluate(missRequest).block();
            assertThat(hit).as(path).isEqualTo(miss);
            assertThat(AuthenticatedPrincipal.of(hitRequest)).as(path).isEqualTo(AuthenticatedPrincipal.of(missRequest));
        }
        Decision allowed = cached.evaluate(request(token, "/orders")).block();
        assertThat(allowed.variables()).containsKeys("user", "scopes", "user_email");
        assertThat(cached.cachedTokens()).isEqualTo(1);
        assertThat(uncached.cachedTokens()).isZero();
        assertThat(reason(cached, token, "/admin")).isEqualTo("insufficient-scope");
        assertThat(reason(cached, token, "/tenant")).isEqualTo("claim-mismatch");
    }

    @Test
    void aTokenThatExpiresBetweenTwoUsesIsRejectedOnTheSecond() {
        JwtPolicy policy = build(staticKeys(Map.of("clock-skew", "10s")));
        Instant expires = clock.instant().plus(Duration.ofMinutes(2));
        String token = Tokens.sign(fixture.key1(), Tokens.claims("alice", ISSUER, AUDIENCE)
                .expirationTime(java.util.Date.from(expires)).build());
        assertThat(reason(policy, token, "/")).isEmpty();
        assertThat(policy.cachedTokens()).isEqualTo(1);

        clock.set(expires.plusSeconds(5));
        assertThat(reason(policy, token, "/")).as("within the clock skew").isEmpty();
        clock.set(expires.plusSeconds(11));
        assertThat(reason(policy, token, "/")).isEqualTo("token-expired");
        assertThat(policy.cachedTokens()).isZero();
        assertThat(reason(policy, token, "/")).isEqualTo("token-expired");
    }

    @Test
    void forgedExpiredAndMisaddressedTokensAreNeverCached() {
        JwtPolicy policy = build(staticKeys(Map.of()));
        String genuine = Tokens.sign(fixture.key1(), Tokens.claims("alice", ISSUER, AUDIENCE).build());
        assertThat(reason(policy, genuine, "/")).isEmpty();
        // The genuine token's header and claims with another key's signature.
        String forged = Tokens.sign(fixture.impostor(), Tokens.claims("alice", ISSUER, AUDIENCE).build());
        String tampered = genuine.substring(0, genuine.lastIndexOf('.')) + forged.substring(forged.lastIndexOf('.'));
        String expired = Tokens.sign(fixture.key1(), Tokens.claims("alice", ISSUER, AUDIENCE)
                .expirationTime(java.util.Date.from(clock.instant().minus(Duration.ofMinutes(5)))).build());
        String otherAudience = Tokens.sign(fixture.key1(), Tokens.claims("alice", ISSUER, "other-api").build());
        for (int i = 0; i < 3; i++) {
            assertThat(reason(policy, forged, "/")).isEqualTo("token-invalid-signature");
            assertThat(reason(policy, tampered, "/")).isEqualTo("token-invalid-signature");
            assertThat(reason(policy, expired, "/")).isEqualTo("token-expired");
            assertThat(reason(policy, otherAudience, "/")).isEqualTo("token-invalid-audience");
        }
        assertThat(policy.cachedTokens()).as("only the genuine token").isEqualTo(1);
    }

    @Test
    void aTokenIsRejectedOnceTheProviderStopsPublishingItsKey() {
        idp = JwksServer.start(new JWKSet(fixture.key1()));
        Map<String, String> config = new HashMap<>();
        config.put("enabled", "true");
        config.put("issuer", ISSUER);
        config.put("audiences", AUDIENCE);
        config.put("jwk-set-uri", idp.uri());
        config.put("jwks.refresh-interval", "200ms");
        config.put("jwks.min-refresh-interval", "0s");
        JwtPolicy policy = build(config);
        String token = Tokens.sign(fixture.key1(), Tokens.claims("alice", ISSUER, AUDIENCE).build());
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> reason(policy, token, "/").isEmpty());
        assertThat(policy.cachedTokens()).isEqualTo(1);

        // A refresh that keeps the key keeps the token cached.
        int fetched = idp.hits();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> reason(policy, token, "/").isEmpty() && idp.hits() > fetched + 1);
        assertThat(policy.cachedTokens()).isEqualTo(1);

        // Rotation that drops k1: cache hits start the background refresh, then notice the key is gone.
        idp.keys(new JWKSet(fixture.key2()));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> "token-unknown-key".equals(reason(policy, token, "/")));
        assertThat(policy.cachedTokens()).isZero();

        // The kid published again with other key material: the cached token was signed by the old one.
        RSAKey replaced = new RSAKey.Builder(fixture.impostor().toPublicJWK()).keyID("k1").build();
        idp.keys(new JWKSet(fixture.key1()));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> reason(policy, token, "/").isEmpty());
        idp.keys(new JWKSet(replaced));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> "token-invalid-signature".equals(reason(policy, token, "/")));
    }

    @Test
    void theCacheIsBoundedAndCanBeTurnedOff() {
        JwtPolicy bounded = build(staticKeys(Map.of("cache.max-entries", "5")));
        JwtPolicy off = build(staticKeys(Map.of("cache.max-entries", "0")));
        for (int i = 0; i < 40; i++) {
            String token = Tokens.sign(fixture.key1(), Tokens.claims("user-" + i, ISSUER, AUDIENCE).build());
            assertThat(reason(bounded, token, "/")).isEmpty();
            assertThat(reason(off, token, "/")).isEmpty();
        }
        assertThat(bounded.cachedTokens()).isBetween(1L, 5L);
        assertThat(off.cachedTokens()).isZero();
        assertThat(bounded.describe()).containsEntry("verifiedTokenCache", 5);
    }

    @Test
    void aNegativeSizeNamesTheProperty() {
        assertThatThrownBy(() -> build(staticKeys(Map.of("cache.max-entries", "-1"))))
                .isInstanceOf(PolicyConfigurationException.class)
                .hasMessageContaining("spoe.policies.jwt.cache.max-entries");
    }

    private static Map<String, String> staticKeys(Map<String, String> extra) {
        Map<String, String> config = new HashMap<>();
        config.put("enabled", "true");
        config.put("issuer", ISSUER);
        config.put("audiences", AUDIENCE);
        config.put("jwk-set", new JWKSet(fixture.key1()).toString(true));
        config.putAll(extra);
        return config;
    }

    private JwtPolicy build(Map<String, String> config) {
        return fixture.build(config, GuardFactory.standalone(), clock);
    }

    /** The deny reason, or "" for an allow. */
    private static String reason(JwtPolicy policy, String token, String path) {
        Decision decision = policy.evaluate(request(token, path)).block(Duration.ofSeconds(5));
        return decision.denied() ? decision.reason() : "";
    }

    private static PolicyRequest request(String token, String path) {
        SpopMessage message = JwtPolicyTest.bearer(token, path);
        return new PolicyRequest(message, "engine");
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private final AtomicReference<Instant> now;

        MutableClock(Instant start) {
            now = new AtomicReference<>(start);
        }

        void set(Instant instant) {
            now.set(instant);
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
