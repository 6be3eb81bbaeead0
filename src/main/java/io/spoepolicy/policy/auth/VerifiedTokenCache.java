package io.spoepolicy.policy.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.stats.StatsCounter;

/**
 * Tokens that passed verification, keyed by the exact token text, bounded in entries. An entry
 * leaves when its token expires ({@code exp} plus the clock skew), when the bound evicts it, or
 * when the caller finds its key gone; callers re-check {@code exp} and {@code nbf} on every hit
 * anyway, so the eviction timing is a memory matter, never a security one. Only verified tokens
 * go in: a forged token costs a full check every time, and cannot push genuine ones out.
 * One cache per policy instance, so a reload (new keys, issuer, audiences) starts empty; its
 * hits, misses and evictions go to a counter that may outlive it (the family's, for metrics).
 */
final class VerifiedTokenCache {

    private final Cache<String, VerifiedToken> tokens;
    private final Clock clock;
    private final long skewMillis;

    /** @param maxEntries at least 1 */
    VerifiedTokenCache(long maxEntries, Clock clock, Duration clockSkew) {
        this(maxEntries, clock, clockSkew, StatsCounter.disabledStatsCounter());
    }

    /**
     * @param maxEntries at least 1
     * @param stats where lookups and evictions are counted
     */
    VerifiedTokenCache(long maxEntries, Clock clock, Duration clockSkew, StatsCounter stats) {
        this.clock = clock;
        this.skewMillis = clockSkew.toMillis();
        this.tokens = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .expireAfter(new Expiry<String, VerifiedToken>() {
                    @Override
                    public long expireAfterCreate(String token, VerifiedToken value, long currentTime) {
                        return lifetime(value);
                    }

                    @Override
                    public long expireAfterUpdate(String token, VerifiedToken value, long currentTime,
                            long currentDuration) {
                        return lifetime(value);
                    }

                    @Override
                    public long expireAfterRead(String token, VerifiedToken value, long currentTime,
                            long currentDuration) {
                        return currentDuration;
                    }
                })
                .recordStats(() -> stats)
                .build();
    }

    private long lifetime(VerifiedToken value) {
        return TimeUnit.MILLISECONDS.toNanos(Math.max(0, value.expires() + skewMillis - clock.millis()));
    }

    VerifiedToken get(String token) {
        return tokens.getIfPresent(token);
    }

    void put(String token, VerifiedToken verified) {
        tokens.put(token, verified);
    }

    void invalidate(String token) {
        tokens.invalidate(token);
    }

    /** Entries now, after pending evictions ran (for tests and health). */
    long size() {
        tokens.cleanUp();
        return tokens.estimatedSize();
    }
}
