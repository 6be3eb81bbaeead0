package io.spoepolicy.policy.ratelimit;

import java.time.Duration;

/**
 * One limit: {@code limit} requests per {@code period}, at most {@code capacity} at once.
 *
 * @param limit requests per period
 * @param period the period
 * @param capacity the burst: requests allowed at once from a full bucket
 */
public record RateLimit(long limit, Duration period, long capacity) {

    public RateLimit {
        if (limit < 1 || capacity < 1 || period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("limit, capacity and period must be positive");
        }
    }

    /** Time to earn one request back. */
    public long intervalNanos() {
        return Math.max(1, period.toNanos() / limit);
    }

    /** {@code RateLimit-Policy} value: quota and window in seconds. */
    public String policyHeader() {
        long window = Math.max(1, (period.toMillis() + 999) / 1000);
        return limit + ";w=" + window + (capacity != limit ? ";burst=" + capacity : "");
    }

    /** A short identity of the limit, part of local bucket keys so that a changed limit starts afresh. */
    public String fingerprint() {
        return limit + "/" + period.toNanos() + "/" + capacity;
    }

    /** This limit shared by {@code replicas} replicas that each count alone. */
    public RateLimit perReplica(int replicas) {
        if (replicas <= 1) {
            return this;
        }
        return new RateLimit(Math.max(1, (limit + replicas - 1) / replicas), period,
                Math.max(1, (capacity + replicas - 1) / replicas));
    }
}
