package io.spoepolicy.policy.ratelimit;

/**
 * The outcome of counting one request.
 *
 * @param allowed whether the request fits in the limit
 * @param limit the bucket's capacity
 * @param remaining requests left right now
 * @param retryAfterNanos when denied, how long until one request is allowed again; else 0
 * @param resetNanos how long until the bucket is full again
 */
public record RateLimitResult(boolean allowed, long limit, long remaining, long retryAfterNanos, long resetNanos) {

    /** Whole seconds, rounded up (what the HTTP headers carry). */
    static long seconds(long nanos) {
        return nanos <= 0 ? 0 : (nanos + 999_999_999L) / 1_000_000_000L;
    }
}
