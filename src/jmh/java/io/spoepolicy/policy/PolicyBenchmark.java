package io.spoepolicy.policy;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Date;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.web.reactive.function.client.WebClient;

import io.spoepolicy.bench.JmhDefaults;
import io.spoepolicy.config.policies.DefaultPolicySet;
import io.spoepolicy.testsupport.BenchMessages;
import io.spoepolicy.policy.access.IpAccessPolicy;
import io.spoepolicy.policy.access.IpAccessProperties;
import io.spoepolicy.policy.auth.ApiKeyFamily;
import io.spoepolicy.policy.auth.JwtFamily;
import io.spoepolicy.policy.ratelimit.RateLimitFamily;
import io.spoepolicy.policy.resilience.GuardFactory;
import io.spoepolicy.policy.settings.PolicyBinder;
import io.spoepolicy.policy.settings.PolicyFamily;
import io.spoepolicy.policy.waf.WafEngine;
import io.spoepolicy.policy.waf.bench.CrsBench;
import io.spoepolicy.policy.waf.spring.WafPolicy;
import io.spoepolicy.protocol.Action;
import io.spoepolicy.protocol.SpopMessage;
import io.spoepolicy.testsupport.JwksServer;
import io.spoepolicy.testsupport.RedisProcess;
import io.spoepolicy.testsupport.Tokens;

/**
 * Each built-in policy's evaluation on the typical request (ten browser headers), built by its
 * family from properties as the service builds it. A fresh {@link PolicyRequest} per call, so
 * lazily parsed parts (headers) are paid each time as in the service. Asynchronous policies
 * (JWT, rate limit) are measured as {@code evaluate(request).block()}: the Reactor subscription
 * the dispatcher makes is part of the cost. Each group of benchmarks has its own state, so JMH
 * starts Redis or loads CRS only for the benchmarks that need them.
 */
public class PolicyBenchmark extends JmhDefaults {

    static PolicyBinder binder(String prefix, Map<String, String> properties) {
        Map<String, String> prefixed = new HashMap<>();
        properties.forEach((key, value) -> prefixed.put(prefix + "." + key, value));
        return new PolicyBinder(new Binder(new MapConfigurationPropertySource(prefixed)), null);
    }

    static SpoePolicy build(PolicyFamily family, String prefix, Map<String, String> properties) {
        return family.build(binder(prefix, properties)).orElseThrow();
    }

    static Decision decide(SpoePolicy policy, SpopMessage message) {
        PolicyRequest request = new PolicyRequest(message, "engine");
        return policy instanceof SyncSpoePolicy sync ? sync.decide(request) : policy.evaluate(request).block();
    }

    static void check(Decision decision, String action, String reason) {
        if (!decision.verdict().action().equals(action) || !decision.reason().equals(reason)) {
            throw new IllegalStateException("benchmark set-up: expected " + action + "/" + reason + ", got " + decision);
        }
    }

    /**
     * What every policy state shares: the typical message, and closing what its set-up started
     * (in reverse order, after the benchmark). JMH runs this class's {@code @Setup} and
     * {@code @TearDown} for each subclass; a subclass only says what it builds.
     */
    public abstract static class PolicyState {
        final SpopMessage message = BenchMessages.typical();
        private final Deque<AutoCloseable> started = new ArrayDeque<>();

        @Setup
        public void setUp() throws Exception {
            create();
        }

        /** Builds the policies under test; anything started goes through {@link #closeAfter}. */
        abstract void create() throws Exception;

        /** {@code resource}, which the tear-down closes after everything started later. */
        <T extends AutoCloseable> T closeAfter(T resource) {
            started.push(resource);
            return resource;
        }

        /** Spins until {@code ready} (a connection made in the background), 30 s at most. */
        static void awaitReady(BooleanSupplier ready, Supplier<String> failure) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!ready.getAsBoolean()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(failure.get());
                }
                Thread.onSpinWait();
            }
        }

        @TearDown
        public void tearDown() throws Exception {
            while (!started.isEmpty()) {
                started.pop().close();
            }
        }
    }

    /** ip-access with the demo lists of application.yml and a few more deny networks. */
    @State(Scope.Thread)
    public static class IpAccessState extends PolicyState {
        IpAccessPolicy policy;

        @Override
        void create() {
            policy = new IpAccessPolicy(new IpAccessProperties(true, List.of("10.0.0.0/8"),
                    List.of("127.0.0.2/32", "192.0.2.0/24", "198.51.100.0/24", "2001:db8::/32"),
                    IpAccessProperties.DefaultAction.ALLOW, 403, "ip"));
        }
    }

    /**
     * OWASP CRS at paranoia level 1 with the property defaults (threshold 5, 128 KB body, 1024
     * arguments, 250 ms budget); CRS from -Dspoe.crs.dir or ../shared/crs.
     */
    @State(Scope.Thread)
    public static class WafState extends PolicyState {
        WafPolicy policy;

        @Override
        void create() throws IOException {
            policy = new WafPolicy(new WafEngine(CrsBench.rules(), CrsBench.serviceDefaults()), 403, false);
        }
    }

    /**
     * Local rate limiting (Caffeine + Bucket4j), keyed by client address. {@code hot}: one client
     * whose limit is never reached (the allow path with its four variables). {@code cached}: 65 536
     * clients in turn, all buckets held (default max-keys 200 000), so every lookup hits a large
     * table. {@code evicting}: the same clients with max-keys 16 384, so nearly every request
     * creates a bucket and evicts one (a flood of new addresses).
     */
    @State(Scope.Thread)
    public static class LocalRateLimitState extends PolicyState {
        static final int CLIENTS = 65_536;
        SpoePolicy hot;
        SpoePolicy cached;
        SpoePolicy evicting;
        SpopMessage[] clients;
        int next;

        @Override
        void create() {
            clients = new SpopMessage[CLIENTS];
            for (int i = 0; i < CLIENTS; i++) {
                clients[i] = BenchMessages.typical("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255), List.of());
            }
            hot = rateLimit(Map.of("enabled", "true", "limit", "1000000000", "period", "1s"));
            cached = rateLimit(Map.of("enabled", "true", "limit", "100", "period", "1s"));
            evicting = rateLimit(Map.of("enabled", "true", "limit", "100", "period", "1s", "local.max-keys", "16384"));
            for (SpopMessage client : clients) {
                decide(cached, client);
            }
        }

        /** One family per variant: each family owns its bucket store. */
        private SpoePolicy rateLimit(Map<String, String> properties) {
            RateLimitFamily family = new RateLimitFamily(GuardFactory.standalone());
            closeAfter(family::destroy);
            return build(family, "spoe.policies.rate-limit", properties);
        }

        SpopMessage nextClient() {
            SpopMessage client = clients[next];
            next = (next + 1) & (CLIENTS - 1);
            return client;
        }
    }

    /**
     * Redis rate limiting against a redis-server this state starts on loopback (no persistence):
     * one EVALSHA of the GCRA script per call, waited for, one client whose limit is never
     * reached. The figure is the round-trip latency; the Lettuce I/O threads and redis-server
     * work in parallel to the calling thread.
     */
    @State(Scope.Thread)
    public static class RedisRateLimitState extends PolicyState {
        SpoePolicy policy;

        @Override
        void create() {
            RedisProcess redis = closeAfter(RedisProcess.startNew());
            RateLimitFamily family = new RateLimitFamily(GuardFactory.standalone());
            closeAfter(family::destroy);
            policy = build(family, "spoe.policies.rate-limit", Map.of("enabled", "true", "limit", "1000000000",
                    "period", "1s", "store", "redis", "redis.uri", redis.uri(), "redis.timeout", "2s"));
            awaitReady(() -> !decide(policy, message).variables().containsKey(DecisionContract.RATELIMIT_FALLBACK),
                    () -> "the rate limiter never reached Redis at " + redis.uri());
        }

        /** The redis-server process (for its CPU time), found among this JVM's children. */
        public long redisPid() {
            return ProcessHandle.current().children()
                    .filter(process -> process.info().command().orElse("").contains("redis"))
                    .findFirst().orElseThrow().pid();
        }
    }

    /** API key in x-api-key, five configured keys (each request hashes once, compares five digests). */
    @State(Scope.Thread)
    public static class ApiKeyState extends PolicyState {
        SpoePolicy policy;
        SpopMessage valid;
        SpopMessage wrong;

        @Override
        void create() {
            Map<String, String> properties = new HashMap<>();
            properties.put("enabled", "true");
            for (int i = 0; i < 5; i++) {
                properties.put("keys[" + i + "].id", "client-" + i);
                properties.put("keys[" + i + "].value", "key-" + i + "-7f3a9c2e4b1d8f6a0e5c3b9d7a1f2e4c");
            }
            properties.put("keys[2].scopes[0]", "orders:read");
            policy = build(new ApiKeyFamily(), "spoe.policies.api-key", properties);
            valid = BenchMessages.typical(BenchMessages.CLIENT_IP, List.<String[]>of(new String[] {"x-api-key",
                    "key-2-7f3a9c2e4b1d8f6a0e5c3b9d7a1f2e4c"}));
            wrong = BenchMessages.typical(BenchMessages.CLIENT_IP, List.<String[]>of(new String[] {"x-api-key",
                    "key-9-7f3a9c2e4b1d8f6a0e5c3b9d7a1f2e4c"}));
            check(decide(policy, valid), "allow", "");
            check(decide(policy, wrong), "deny", "api-key-invalid");
        }
    }

    /**
     * JWT bearer tokens, keys from a JWKS endpoint on loopback (an RSA 2048 and a P-256 key),
     * fetched once and cached before measuring; issuer and audience checked, a scope claim.
     * {@code policy} has the verified-token cache (default size), so valid tokens are cache hits
     * after the set-up's first call; {@code uncached} has it off ({@code cache.max-entries: 0})
     * and verifies every signature.
     */
    @State(Scope.Thread)
    public static class JwtState extends PolicyState {
        static final String ISSUER = "https://idp.example";
        static final String AUDIENCE = "orders-api";
        SpoePolicy policy;
        SpoePolicy uncached;
        SpopMessage rs256;
        SpopMessage es256;
        SpopMessage expired;
        SpopMessage forged;

        @Override
        void create() throws JOSEException {
            RSAKey rsa = Tokens.rsaKey("rsa-1");
            ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
            JwksServer idp = closeAfter(JwksServer.start(new JWKSet(List.of(rsa, ec))));
            JwtFamily family = new JwtFamily(WebClient.create(), GuardFactory.standalone(), java.time.Clock.systemUTC());
            Map<String, String> properties = Map.of("enabled", "true", "issuer", ISSUER, "audiences", AUDIENCE,
                    "algorithms", "RS256,ES256", "jwk-set-uri", idp.uri());
            policy = build(family, "spoe.policies.jwt", properties);
            Map<String, String> noCache = new HashMap<>(properties);
            noCache.put("cache.max-entries", "0");
            uncached = build(family, "spoe.policies.jwt", noCache);
            JWTClaimsSet claims = Tokens.claims("alice", ISSUER, AUDIENCE).claim("scope", "orders:read")
                    .expirationTime(Date.from(Instant.now().plus(Duration.ofHours(12)))).build();
            rs256 = bearer(Tokens.sign(rsa, claims));
            es256 = bearer(Tokens.sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("ec-1").build(),
                    new ECDSASigner(ec), claims));
            expired = bearer(Tokens.sign(rsa, Tokens.claims("alice", ISSUER, AUDIENCE)
                    .issueTime(Date.from(Instant.now().minus(Duration.ofHours(2))))
                    .expirationTime(Date.from(Instant.now().minus(Duration.ofHours(1)))).build()));
            // Signed by another key under the published kid: the signature check fails.
            forged = bearer(Tokens.sign(Tokens.rsaKey("rsa-1"), claims));
            awaitReady(() -> decide(policy, rs256).verdict().equals(Verdict.ALLOW),
                    () -> "JWKS never fetched from " + idp.uri());
            check(decide(policy, es256), "allow", "");
            check(decide(uncached, rs256), "allow", "");
            check(decide(uncached, es256), "allow", "");
            check(decide(policy, expired), "deny", "token-expired");
            check(decide(policy, forged), "deny", "token-invalid-signature");
        }

        private static SpopMessage bearer(String token) {
            return BenchMessages.typical(BenchMessages.CLIENT_IP, List.<String[]>of(new String[] {"authorization", "Bearer " + token}));
        }
    }

    /**
     * The whole default policy set of the root application.yml (as the service assembles it:
     * today ip-access only, wrapped in its settings), through the dispatcher from message to ACK
     * actions, without meters.
     */
    @State(Scope.Thread)
    public static class DefaultSetState extends PolicyState {
        PolicyDispatcher dispatcher;
        List<String> policies;
        final List<SpopMessage> messages = List.of(message);

        @Override
        void create() {
            Map<String, List<SpoePolicy>> chains = DefaultPolicySet.chains();
            policies = new ArrayList<>();
            chains.values().forEach(chain -> chain.forEach(policy -> policies.add(policy.name())));
            dispatcher = closeAfter(BenchDispatcher.start(chains)).dispatcher();
        }

        public String policiesText() {
            return String.join(", ", policies);
        }
    }

    @Benchmark
    public Decision ipAccess(IpAccessState state) {
        return state.policy.decide(new PolicyRequest(state.message, "engine"));
    }

    /** The WAF (CRS PL1) on the typical GET: it runs on the policy scheduler in the service. */
    @Benchmark
    public Decision wafCrsParanoia1(WafState state) {
        return state.policy.decide(new PolicyRequest(state.message, "engine"));
    }

    @Benchmark
    public Decision rateLimitLocalHotKey(LocalRateLimitState state) {
        return decide(state.hot, state.message);
    }

    @Benchmark
    public Decision rateLimitLocalManyKeysCached(LocalRateLimitState state) {
        return decide(state.cached, state.nextClient());
    }

    @Benchmark
    public Decision rateLimitLocalManyKeysEvicting(LocalRateLimitState state) {
        return decide(state.evicting, state.nextClient());
    }

    @Benchmark
    public Decision rateLimitRedis(RedisRateLimitState state) {
        return decide(state.policy, state.message);
    }

    @Benchmark
    public Decision apiKeyValid(ApiKeyState state) {
        return decide(state.policy, state.valid);
    }

    @Benchmark
    public Decision apiKeyWrong(ApiKeyState state) {
        return decide(state.policy, state.wrong);
    }

    /** Signature verified on every call (cache off). */
    @Benchmark
    public Decision jwtRs256Valid(JwtState state) {
        return decide(state.uncached, state.rs256);
    }

    /** Signature verified on every call (cache off). */
    @Benchmark
    public Decision jwtEs256Valid(JwtState state) {
        return decide(state.uncached, state.es256);
    }

    /** The same token again: a verified-token cache hit. */
    @Benchmark
    public Decision jwtRs256ValidCacheHit(JwtState state) {
        return decide(state.policy, state.rs256);
    }

    @Benchmark
    public Decision jwtEs256ValidCacheHit(JwtState state) {
        return decide(state.policy, state.es256);
    }

    @Benchmark
    public Decision jwtExpired(JwtState state) {
        return decide(state.policy, state.expired);
    }

    @Benchmark
    public Decision jwtForgedSignature(JwtState state) {
        return decide(state.policy, state.forged);
    }

    @Benchmark
    public List<Action> defaultPolicySet(DefaultSetState state) {
        return state.dispatcher.dispatch(state.messages, "engine").block();
    }
}
