package io.spoepolicy.hardening;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.publisher.Mono;

import io.spoepolicy.policy.SpoePolicy;
import io.spoepolicy.policy.auth.JwtFamily;
import io.spoepolicy.policy.ratelimit.RateLimitFamily;
import io.spoepolicy.protocol.SpopMessage;
import io.spoepolicy.server.SpoeServer;
import io.spoepolicy.testkit.MessageBuilder;
import io.spoepolicy.testsupport.JwksServer;
import io.spoepolicy.testsupport.MessagePolicy;
import io.spoepolicy.testsupport.RedisProcess;
import io.spoepolicy.testsupport.RequiresRedis;
import io.spoepolicy.testsupport.Tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Faults in the service's dependencies under load, over real SPOP connections: Redis (the shared
 * rate-limit store, configured fail-open) stopped, paused and restarted; the JWKS endpoint (JWT,
 * fail-closed for keys it does not hold) failing and slow; a policy that throws or hangs. In
 * every scenario each NOTIFY gets its ACK within the 1 s policy deadline, the configured
 * behaviour answers, the Resilience4j breakers open and close, and the service recovers alone.
 *
 * <p>The scenarios run in order on one service (a Spring context costs a minute on a small
 * machine); each prints one {@code [figures]} line with its counts. The context is closed after
 * the class ({@link DirtiesContext}): its Redis and identity provider stop with the class, and a
 * cached context would go on reconnecting to them and refreshing keys from them in the background
 * of every later test class in this JVM (threads, sockets and log lines those classes measure).
 */
@DirtiesContext
@RequiresRedis
@SpringBootTest(properties = {"spoe.server.port=0", "server.port=0", "management.server.port=0",
        "spoe.server.host=127.0.0.1", "spoe.policies.deadline=1s",
        "spoe.policies.jwt.enabled=true", "spoe.policies.jwt.issuer=" + DependencyFaultsTest.ISSUER,
        "spoe.policies.jwt.audiences=orders-api", "spoe.policies.jwt.jwks.min-refresh-interval=0s",
        "spoe.policies.rate-limit.enabled=true", "spoe.policies.rate-limit.store=redis",
        "spoe.policies.rate-limit.key=subject", "spoe.policies.rate-limit.limit=100000",
        "spoe.policies.rate-limit.redis.fallback=fail-open", "spoe.policies.rate-limit.redis.timeout=300ms",
        "spoe.policies.rate-limit.redis.reconnect-max-delay=200ms",
        "resilience4j.circuitbreaker.instances.rate-limit-redis.sliding-window-type=COUNT_BASED",
        "resilience4j.circuitbreaker.instances.rate-limit-redis.sliding-window-size=20",
        "resilience4j.circuitbreaker.instances.rate-limit-redis.minimum-number-of-calls=5",
        "resilience4j.circuitbreaker.instances.rate-limit-redis.failure-rate-threshold=50",
        "resilience4j.circuitbreaker.instances.rate-limit-redis.wait-duration-in-open-state=1s",
        "resilience4j.circuitbreaker.instances.rate-limit-redis.permitted-number-of-calls-in-half-open-state=3",
        "resilience4j.circuitbreaker.instances.jwks.sliding-window-type=COUNT_BASED",
        "resilience4j.circuitbreaker.instances.jwks.sliding-window-size=10",
        "resilience4j.circuitbreaker.instances.jwks.minimum-number-of-calls=3",
        "resilience4j.circuitbreaker.instances.jwks.failure-rate-threshold=50",
        "resilience4j.circuitbreaker.instances.jwks.wait-duration-in-open-state=2s",
        "resilience4j.circuitbreaker.instances.jwks.permitted-number-of-calls-in-half-open-state=1"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DependencyFaultsTest {

    static final String ISSUER = "https://idp.test/";
    /**
     * The policy deadline. The answers asserted below come from budgets inside it: the Redis
     * timeout (300 ms, then the fallback) and the JWKS max-wait (250 ms by default, then
     * "jwks-unavailable"). With 400 ms, a loaded machine turned some of those answers into
     * agent timeouts (150 ms of margin), and 100 ms Redis calls overran into the fallback.
     */
    static final Duration DEADLINE = Duration.ofSeconds(1);
    /**
     * On top of the deadline: scheduling noise on a shared 2-core machine (HAProxy, Redis, other
     * builds and this JVM's GC compete with the agent; one ACK came 1.07 s past a 400 ms deadline
     * under load). Catches an ACK that waited for a hung dependency, which takes longer than
     * deadline + slack here (the JWKS answers after {@link #JWKS_DELAY}, Redis is paused 5 s).
     */
    static final Duration SLACK = Duration.ofSeconds(2);
    /** The slow identity provider's delay: within the 5 s JWKS time limit, above deadline + slack. */
    static final Duration JWKS_DELAY = Duration.ofSeconds(4);
    static final int CONNECTIONS = 4;
    /** Each connection sends one NOTIFY per interval: 200 per second in all. */
    static final Duration INTERVAL = Duration.ofMillis(20);

    static final RSAKey CACHED_KEY = Tokens.rsaKey("k1");
    static final RSAKey NEW_KEY = Tokens.rsaKey("k2");
    static final RedisProcess REDIS = RedisProcess.startNew();
    static final JwksServer IDP = JwksServer.start(new JWKSet(CACHED_KEY));

    @DynamicPropertySource
    static void dependencies(DynamicPropertyRegistry registry) {
        registry.add("spoe.policies.rate-limit.redis.uri", REDIS::uri);
        registry.add("spoe.policies.jwt.jwk-set-uri", IDP::uri);
    }

    @AfterAll
    static void stopDependencies() {
        IDP.close();
        REDIS.close();
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class FaultyPolicies {
        /** Message "boom": fails on every call. */
        @Bean
        SpoePolicy throwingPolicy() {
            return new MessagePolicy("boom", request -> Mono.error(new IllegalStateException("policy bug")));
        }

        /** Message "hang": never answers. */
        @Bean
        SpoePolicy hangingPolicy() {
            return new MessagePolicy("hang", request -> Mono.never());
        }
    }

    @Autowired
    SpoeServer server;

    @Autowired
    CircuitBreakerRegistry breakers;

    private final List<String> transitions = Collections.synchronizedList(new ArrayList<>());

    private static final String CACHED_TOKEN = Tokens.sign(CACHED_KEY, Tokens.claims("alice", ISSUER, "orders-api").build());
    private static final String NEW_TOKEN = Tokens.sign(NEW_KEY, Tokens.claims("bob", ISSUER, "orders-api").build());

    @BeforeEach
    void healthyDependenciesAndBreakerEvents() {
        REDIS.start();
        IDP.mode(JwksServer.Mode.OK);
        for (String name : List.of(RateLimitFamily.GUARD, JwtFamily.GUARD)) {
            breakers.find(name).ifPresent(breaker -> breaker.getEventPublisher().onStateTransition(event ->
                    transitions.add(name + ":" + event.getStateTransition().getToState())));
        }
        // Keys fetched and Redis answering before any scenario starts.
        await().atMost(Duration.ofSeconds(30)).until(() -> decisionOf(request(CACHED_TOKEN)).equals("allow"));
    }

    private AckLoad.Result load(String name, Duration duration, java.util.function.IntFunction<SpopMessage> messages)
            throws Exception {
        AckLoad.Result result = AckLoad.run(name, server.address().getPort(), CONNECTIONS, duration, INTERVAL, messages);
        System.out.printf("[figures] %s; breaker transitions %s%n", result.describe(), transitions);
        return result;
    }

    private static SpopMessage request(String token) {
        return MessageBuilder.checkRequest().ip("198.51.100.20").method("GET").path("/orders")
                .header("authorization", "Bearer " + token).build();
    }

    private String decisionOf(SpopMessage message) throws Exception {
        return AckLoad.once(server.address().getPort(), message);
    }

    private static void assertEveryNotifyAnsweredInTime(AckLoad.Result result) {
        assertThat(result.acked()).as("ACKs of %s", result.name()).isEqualTo(result.sent()).isPositive();
        assertThat(result.maxLatency()).as("slowest ACK of %s", result.name()).isLessThan(DEADLINE.plus(SLACK));
    }

    private CircuitBreaker.State state(String breaker) {
        return breakers.circuitBreaker(breaker).getState();
    }

    @Test
    @Order(1)
    void redisStoppedUnderLoadFailsOpenThenRecoversByItself() throws Exception {
        // JIT and connection warm-up right after startup are not what is measured.
        AckLoad.run("warm-up", server.address().getPort(), CONNECTIONS, Duration.ofSeconds(3), INTERVAL,
                i -> request(CACHED_TOKEN));
        AckLoad.Result baseline = load("redis up (baseline)", Duration.ofSeconds(3), i -> request(CACHED_TOKEN));
        assertEveryNotifyAnsweredInTime(baseline);
        assertThat(baseline.count(o -> "allow".equals(o.action()))).isEqualTo(baseline.sent());
        // A Redis call that overruns its 300 ms budget is answered by the fallback, as designed; on a
        // loaded machine a few do even with Redis up.
        assertThat(baseline.count(o -> o.fallback() != null)).isLessThanOrEqualTo(Math.max(3, baseline.sent() / 20));

        REDIS.stop();
        AckLoad.Result down = load("redis stopped", Duration.ofSeconds(4), i -> request(CACHED_TOKEN));
        assertEveryNotifyAnsweredInTime(down);
        assertThat(down.count(o -> "allow".equals(o.action()))).as("fail-open").isEqualTo(down.sent());
        assertThat(down.count(o -> "fail-open".equals(o.fallback()))).isPositive();
        assertThat(down.count(o -> o.agentError() != null)).isZero();
        assertThat(transitions).contains(RateLimitFamily.GUARD + ":OPEN");

        long restarted = System.nanoTime();
        REDIS.start();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> decisionOf(request(CACHED_TOKEN)).equals("allow"));
        // Half-open lets 3 calls through; the breaker closes once they succeed.
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
            decisionOf(request(CACHED_TOKEN));
            return state(RateLimitFamily.GUARD) == CircuitBreaker.State.CLOSED;
        });
        Duration recovery = Duration.ofNanos(System.nanoTime() - restarted);
        AckLoad.Result after = load("redis back", Duration.ofSeconds(2), i -> request(CACHED_TOKEN));
        System.out.printf("[figures] redis recovery: shared counting again %d ms after restart%n", recovery.toMillis());
        assertEveryNotifyAnsweredInTime(after);
        assertThat(after.count(o -> o.fallback() != null)).isLessThanOrEqualTo(Math.max(3, after.sent() / 20));
        assertThat(transitions).containsSubsequence(RateLimitFamily.GUARD + ":OPEN",
                RateLimitFamily.GUARD + ":HALF_OPEN", RateLimitFamily.GUARD + ":CLOSED");
    }

    @Test
    @Order(2)
    void redisPausedIsCutByTheTimeLimiter() throws Exception {
        // Every Redis client blocks for 5 s (longer than deadline + slack), a hung store rather than
        // a refused connection, for the whole load.
        assertThat(REDIS.command("CLIENT PAUSE 5000 ALL")).isEqualTo("+OK");
        AckLoad.Result slow = load("redis paused 5 s", Duration.ofSeconds(3), i -> request(CACHED_TOKEN));
        assertEveryNotifyAnsweredInTime(slow);
        assertThat(slow.count(o -> "allow".equals(o.action()))).isEqualTo(slow.sent());
        assertThat(slow.count(o -> "fail-open".equals(o.fallback()))).isPositive();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> decisionOf(request(CACHED_TOKEN)).equals("allow"));
    }

    @Test
    @Order(3)
    void redisRestartedUnderLoadLosesNoDecision() throws Exception {
        long acceptedBefore = server.registry().accepted();
        CompletableFuture<AckLoad.Result> running = CompletableFuture.supplyAsync(() -> {
            try {
                return AckLoad.run("redis restarted under load", server.address().getPort(), CONNECTIONS,
                        Duration.ofSeconds(8), INTERVAL, i -> request(CACHED_TOKEN));
            }
            catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        });
        // Restart once the load's connections are open. (Waiting for "a NOTIFY in flight" instead
        // would chase a state that comes and goes every few milliseconds.)
        await().atMost(Duration.ofSeconds(20))
                .until(() -> server.registry().accepted() >= acceptedBefore + CONNECTIONS || running.isDone());
        REDIS.restart();
        AckLoad.Result result = running.get();
        System.out.printf("[figures] %s; breaker transitions %s%n", result.describe(), transitions);
        assertEveryNotifyAnsweredInTime(result);
        assertThat(result.count(o -> "allow".equals(o.action()))).isEqualTo(result.sent());
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> decisionOf(request(CACHED_TOKEN)).equals("allow"));
    }

    @Test
    @Order(4)
    void jwksDownKeepsCachedKeysAndFailsClosedForUnknownOnesThenRecovers() throws Exception {
        // The identity provider rotates in a new key, then fails before the agent fetched it.
        IDP.keys(new JWKSet(List.of(CACHED_KEY, NEW_KEY)));
        IDP.mode(JwksServer.Mode.ERROR);
        AckLoad.Result down = load("jwks failing (HTTP 500)", Duration.ofSeconds(4),
                i -> request(i % 2 == 0 ? CACHED_TOKEN : NEW_TOKEN));
        assertEveryNotifyAnsweredInTime(down);
        assertThat(down.outcomes()).as("cached key still verifies").filteredOn(o -> o.index() % 2 == 0)
                .isNotEmpty().allMatch(o -> "allow".equals(o.action()));
        assertThat(down.outcomes()).as("unknown key: fail-closed").filteredOn(o -> o.index() % 2 == 1)
                .isNotEmpty().allMatch(o -> "503".equals(o.status()) && "jwks-unavailable".equals(o.reason()));
        assertThat(down.count(o -> o.agentError() != null)).isZero();
        assertThat(transitions).contains(JwtFamily.GUARD + ":OPEN");

        IDP.slowDelay(JWKS_DELAY);
        IDP.mode(JwksServer.Mode.SLOW);
        AckLoad.Result slow = load("jwks answering after " + JWKS_DELAY.toSeconds() + " s", Duration.ofSeconds(4),
                i -> request(i % 2 == 0 ? CACHED_TOKEN : NEW_TOKEN));
        assertEveryNotifyAnsweredInTime(slow);
        assertThat(slow.count(o -> o.agentError() != null)).isZero();
        assertThat(slow.outcomes()).filteredOn(o -> o.index() % 2 == 0).allMatch(o -> "allow".equals(o.action()));
        // Until a fetch completes (JWKS_DELAY, within the 5 s JWKS time limit), the new key is unknown.
        assertThat(slow.count(o -> "jwks-unavailable".equals(o.reason()))).isPositive();

        long restored = System.nanoTime();
        IDP.mode(JwksServer.Mode.OK);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> decisionOf(request(NEW_TOKEN)).equals("allow"));
        Duration recovery = Duration.ofNanos(System.nanoTime() - restored);
        AckLoad.Result after = load("jwks back", Duration.ofSeconds(2), i -> request(i % 2 == 0 ? CACHED_TOKEN : NEW_TOKEN));
        System.out.printf("[figures] jwks recovery: new key accepted %d ms after the provider came back%n",
                recovery.toMillis());
        assertEveryNotifyAnsweredInTime(after);
        assertThat(after.count(o -> "allow".equals(o.action()))).isEqualTo(after.sent());
        assertThat(transitions).containsSubsequence(JwtFamily.GUARD + ":OPEN", JwtFamily.GUARD + ":HALF_OPEN",
                JwtFamily.GUARD + ":CLOSED");
    }

    @Test
    @Order(5)
    void throwingAndHangingPoliciesAreAnsweredWithAgentErrorWithinTheDeadline() throws Exception {
        AckLoad.Result throwing = load("policy throws", Duration.ofSeconds(2), i -> MessageBuilder.message("boom").build());
        assertEveryNotifyAnsweredInTime(throwing);
        assertThat(throwing.count(o -> o.agentError() != null)).isEqualTo(throwing.sent());

        AckLoad.Result hanging = load("policy hangs", Duration.ofSeconds(3), i -> MessageBuilder.message("hang").build());
        assertEveryNotifyAnsweredInTime(hanging);
        assertThat(hanging.count(o -> "timeout".equals(o.agentError()))).isEqualTo(hanging.sent());
        assertThat(hanging.percentile(0.5)).isGreaterThanOrEqualTo(DEADLINE.minusMillis(50));

        // Normal traffic alongside is unaffected.
        AckLoad.Result normal = load("normal traffic after faulty policies", Duration.ofSeconds(2),
                i -> request(CACHED_TOKEN));
        assertEveryNotifyAnsweredInTime(normal);
        assertThat(normal.count(o -> "allow".equals(o.action()))).isEqualTo(normal.sent());
    }
}
