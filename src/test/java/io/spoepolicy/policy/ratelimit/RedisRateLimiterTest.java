package io.spoepolicy.policy.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import io.spoepolicy.policy.resilience.GuardFactory;
import io.spoepolicy.testkit.AgentFrame;
import io.spoepolicy.testkit.PolicyTester;
import io.spoepolicy.testsupport.RedisProcess;
import io.spoepolicy.testsupport.RequiresRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The shared store against a real redis-server, started on a free loopback port. */
@RequiresRedis
class RedisRateLimiterTest {

    static RedisProcess redis;

    @BeforeAll
    static void startRedis() {
        redis = RedisProcess.startNew();
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @BeforeEach
    void flush() {
        redis.start();
        assertThat(redis.command("FLUSHALL")).isEqualTo("+OK");
    }

    @Test
    void exactlyTheBurstIsAllowedAcrossTwoReplicasUnderConcurrency() {
        try (RedisRateLimiter replicaA = limiter(); RedisRateLimiter replicaB = limiter()) {
            RateLimit limit = new RateLimit(50, Duration.ofHours(1), 50);
            int requests = 400;
            List<Mono<RateLimitResult>> calls = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                calls.add((i % 2 == 0 ? replicaA : replicaB).consume("spoe:rl:test:hot", limit));
            }
            // All 400 in flight at once, interleaved over both connections.
            List<RateLimitResult> results = Flux.merge(Flux.fromIterable(calls), requests).collectList()
                    .block(Duration.ofSeconds(60));
            long allowed = results.stream().filter(RateLimitResult::allowed).count();
            System.out.printf("Redis limiter: %d concurrent requests over 2 replicas, burst 50: %d allowed%n", requests,
                    allowed);
            assertThat(allowed).isEqualTo(50);
            assertThat(results.stream().filter(RateLimitResult::allowed).map(RateLimitResult::remaining).sorted().toList())
                    .as("every remaining count from 49 to 0 handed out once")
                    .containsExactlyElementsOf(java.util.stream.LongStream.range(0, 50).boxed().toList());
        }
    }

    @Test
    void gcraInRedisMatchesTheLocalTokenBucket() {
        try (RedisRateLimiter shared = limiter()) {
            LocalRateLimiter local = new LocalRateLimiter(10);
            RateLimit limit = new RateLimit(6, Duration.ofMinutes(1), 4);
            long start = System.nanoTime();
            for (int i = 0; i < 6; i++) {
                RateLimitResult remote = shared.consume("spoe:rl:test:same", limit).block(Duration.ofSeconds(5));
                RateLimitResult here = local.consumeNow("same", limit);
                assertThat(remote.allowed()).isEqualTo(here.allowed());
                assertThat(remote.remaining()).isEqualTo(here.remaining());
                assertThat(remote.limit()).isEqualTo(here.limit());
                if (!remote.allowed()) {
                    // One token per 10 s: 10 s minus the time since the burst began, rounded up,
                    // read by two clocks (Redis's TIME and this JVM's) at two instants. Equal on
                    // a quiet machine; a second apart when a second boundary falls between them.
                    long elapsed = RateLimitResult.seconds(System.nanoTime() - start);
                    long remoteSeconds = RateLimitResult.seconds(remote.retryAfterNanos());
                    long localSeconds = RateLimitResult.seconds(here.retryAfterNanos());
                    assertThat(remoteSeconds).isBetween(10 - elapsed, 10L);
                    assertThat(localSeconds).isBetween(10 - elapsed, 10L);
                    assertThat(Math.abs(remoteSeconds - localSeconds)).isLessThanOrEqualTo(1);
                }
            }
            assertThat(redis.command("PTTL spoe:rl:test:same")).startsWith(":");
        }
    }

    @Test
    void scriptIsSentAgainAfterRedisForgotIt() {
        try (RedisRateLimiter shared = limiter()) {
            // One token back per 6 minutes: "8 left" must not depend on how long the flush took
            // (with 10 per second a 100 ms stall between the calls gave a token back).
            RateLimit limit = new RateLimit(10, Duration.ofHours(1), 10);
            assertThat(shared.consume("spoe:rl:test:a", limit).block(Duration.ofSeconds(5)).allowed()).isTrue();
            assertThat(redis.command("SCRIPT FLUSH")).isEqualTo("+OK");
            assertThat(shared.consume("spoe:rl:test:a", limit).block(Duration.ofSeconds(5)).remaining()).isEqualTo(8);
        }
    }

    @Test
    void redisStoppedMidRunGivesTheConfiguredFallbackAndRecovers() {
        for (RateLimitProperties.Fallback fallback : RateLimitProperties.Fallback.values()) {
            redis.start();
            assertThat(redis.command("FLUSHALL")).isEqualTo("+OK");
            CircuitBreakerRegistry breakers = CircuitBreakerRegistry.of(Map.of(RateLimitFamily.GUARD,
                    CircuitBreakerConfig.from(RateLimitFamily.BREAKER_DEFAULTS)
                            .waitDurationInOpenState(Duration.ofMillis(500)).build()));
            RateLimitFamily family = new RateLimitFamily(new GuardFactory(breakers, null));
            try {
                // A 1 s Redis budget inside a 5 s deadline (200 ms inside 400 ms before): with Redis up,
                // a call that overruns the budget on a loaded machine is answered by the fallback and
                // breaks the "4 allowed, then 429" count; with Redis down, the fallback must still
                // answer before the deadline.
                RateLimitProperties.Redis settings = new RateLimitProperties.Redis(redis.uri(), "spoe:rl:",
                        Duration.ofSeconds(1), Duration.ofMillis(500), Duration.ofMillis(200), fallback, 503, 2);
                RateLimitPolicy policy = (RateLimitPolicy) family.buildFor(RateLimitPolicyTest.properties(4,
                        Duration.ofHours(1), RateLimitProperties.KeySource.IP, null, RateLimitProperties.Store.REDIS,
                        settings, List.of()));
                PolicyTester tester = PolicyTester.of(Duration.ofSeconds(5), List.of(policy));
                await().atMost(Duration.ofSeconds(20)).until(() ->
                        tester.send(RateLimitPolicyTest.from("192.0.2.200")).text("ratelimit_fallback") == null);
                // Shared counting while Redis is up: 4 allowed, then 429.
                List<String> up = actions(tester, "192.0.2.1", 5);
                assertThat(up).containsExactly("allow", "allow", "allow", "allow", "deny");

                redis.stop();
                AtomicInteger allowed = new AtomicInteger();
                AtomicInteger denied = new AtomicInteger();
                int requests = 20;
                String fallbackLabel = null;
                for (int i = 0; i < requests; i++) {
                    AgentFrame.Ack ack = tester.send(RateLimitPolicyTest.from("192.0.2.2"));
                    assertThat(ack.text("agent_error")).as("fallback answers inside the deadline").isNull();
                    fallbackLabel = ack.text("ratelimit_fallback");
                    (ack.text("action").equals("allow") ? allowed : denied).incrementAndGet();
                }
                System.out.printf("Redis stopped, fallback %s: %d requests -> %d allowed, %d denied (ratelimit_fallback=%s)%n",
                        fallback, requests, allowed.get(), denied.get(), fallbackLabel);
                switch (fallback) {
                    case FAIL_OPEN -> assertThat(allowed).hasValue(requests);
                    case FAIL_CLOSED -> assertThat(denied).hasValue(requests);
                    // Local limits divided by 2 replicas: burst 4 becomes 2.
                    case LOCAL -> assertThat(allowed).hasValue(2);
                }
                assertThat(fallbackLabel).isEqualTo(fallback.name().toLowerCase().replace('_', '-'));
                RateLimitPolicy.RedisHealth down = policy.redisHealth();
                assertThat(down.connected()).isFalse();
                assertThat(down.fallbackDecisions()).isGreaterThanOrEqualTo(requests);

                redis.start();
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() ->
                        tester.send(RateLimitPolicyTest.from("192.0.2.3")).text("ratelimit_fallback") == null);
                assertThat(policy.redisHealth().connected()).isTrue();
                // Redis restarted empty: counting starts over, shared again.
                assertThat(actions(tester, "192.0.2.4", 5)).containsExactly("allow", "allow", "allow", "allow", "deny");
            }
            finally {
                family.destroy();
            }
        }
    }

    private static List<String> actions(PolicyTester tester, String ip, int count) {
        List<String> actions = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            actions.add(tester.send(RateLimitPolicyTest.from(ip)).text("action"));
        }
        return actions;
    }

    /** A generous command timeout: these tests check correctness, on a machine that may be very busy. */
    private static RedisRateLimiter limiter() {
        return new RedisRateLimiter(redis.uri(), Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofMillis(200));
    }
}
