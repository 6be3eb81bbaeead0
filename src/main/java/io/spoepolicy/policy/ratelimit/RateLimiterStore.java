package io.spoepolicy.policy.ratelimit;

import reactor.core.publisher.Mono;

/** Counts requests against limits, per key. Implementations must be correct under concurrency. */
public interface RateLimiterStore {

    /** Counts one request for {@code key} against {@code limit}. */
    Mono<RateLimitResult> consume(String key, RateLimit limit);
}
