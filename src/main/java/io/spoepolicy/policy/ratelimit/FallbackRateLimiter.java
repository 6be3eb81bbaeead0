package io.spoepolicy.policy.ratelimit;

import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import io.spoepolicy.policy.resilience.Guard;

/**
 * Redis behind a circuit breaker and a time limit, with the configured fallback when it cannot
 * decide: an error, a timeout, or the breaker open. Results produced by the fallback are marked so
 * the decision can say which fallback answered.
 */
final class FallbackRateLimiter {

    private static final Logger log = LoggerFactory.getLogger(FallbackRateLimiter.class);

    /** A result and, when the fallback produced it, which one. */
    record Answer(RateLimitResult result, RateLimitProperties.Fallback fallback) {
    }

    private final RedisRateLimiter redis;
    private final Guard guard;
    private final RateLimitProperties.Fallback fallback;
    private final LocalRateLimiter local;
    private final int replicas;
    private final AtomicLong fallbacks = new AtomicLong();

    FallbackRateLimiter(RedisRateLimiter redis, Guard guard, RateLimitProperties.Fallback fallback,
            LocalRateLimiter local, int replicas) {
        this.redis = redis;
        this.guard = guard;
        this.fallback = fallback;
        this.local = local;
        this.replicas = replicas;
    }

    Mono<Answer> consume(String key, RateLimit limit) {
        return guard.protect(redis.consume(key, limit))
                .map(result -> new Answer(result, null))
                .onErrorResume(error -> {
                    if (fallbacks.getAndIncrement() % 1000 == 0) {
                        log.warn("Rate limit store unavailable ({}), answering with fallback {}", error.toString(),
                                fallback);
                    }
                    return Mono.just(fallback(key, limit));
                });
    }

    private Answer fallback(String key, RateLimit limit) {
        return switch (fallback) {
            case FAIL_OPEN, FAIL_CLOSED -> new Answer(null, fallback);
            case LOCAL -> new Answer(local.consumeNow("fallback:" + key + "@" + limit.fingerprint(), limit.perReplica(replicas)),
                    fallback);
        };
    }

    Guard guard() {
        return guard;
    }

    RateLimitProperties.Fallback fallbackMode() {
        return fallback;
    }

    RedisRateLimiter redis() {
        return redis;
    }

    /** Decisions the fallback took so far. */
    long fallbacks() {
        return fallbacks.get();
    }
}
