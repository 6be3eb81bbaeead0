package io.spoepolicy.policy.ratelimit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.BucketListener;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.MathType;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.local.LockFreeBucket;
import reactor.core.publisher.Mono;

/**
 * Per-replica limits: one lock-free Bucket4j token bucket per key in a size-bounded Caffeine
 * cache. A bucket expires once it would have refilled completely, since a new full bucket is then
 * the same thing, so idle keys cost nothing; under a flood of new keys the cache evicts by
 * frequency (W-TinyLFU) and stays at {@code maxKeys}. No per-key metrics exist. Counting is
 * CPU-only and takes well under a microsecond, so it runs on the caller's thread.
 */
public final class LocalRateLimiter implements RateLimiterStore {

    private record Entry(LockFreeBucket bucket, long refillNanos) {
    }

    private final Cache<String, Entry> buckets;
    private final TimeMeter clock;
    private final Map<RateLimit, BucketConfiguration> configurations = new ConcurrentHashMap<>();

    public LocalRateLimiter(long maxKeys) {
        this(maxKeys, TimeMeter.SYSTEM_NANOTIME);
    }

    LocalRateLimiter(long maxKeys, TimeMeter clock) {
        this.clock = clock;
        this.buckets = Caffeine.newBuilder()
                .maximumSize(maxKeys)
                .expireAfter(new Expiry<String, Entry>() {
                    @Override
                    public long expireAfterCreate(String key, Entry value, long currentTime) {
                        return value.refillNanos();
                    }

                    @Override
                    public long expireAfterUpdate(String key, Entry value, long currentTime, long currentDuration) {
                        return value.refillNanos();
                    }

                    @Override
                    public long expireAfterRead(String key, Entry value, long currentTime, long currentDuration) {
                        return value.refillNanos();
                    }
                })
                .build();
    }

    @Override
    public Mono<RateLimitResult> consume(String key, RateLimit limit) {
        return Mono.just(consumeNow(key, limit));
    }

    /**
     * Counts one request synchronously.
     *
     * @param key must identify the limit too: buckets are built with the limit of their first use
     */
    public RateLimitResult consumeNow(String key, RateLimit limit) {
        Entry entry = buckets.get(key, ignored -> new Entry(new LockFreeBucket(configuration(limit),
                MathType.INTEGER_64_BITS, clock, BucketListener.NOPE), refillNanos(limit)));
        ConsumptionProbe probe = entry.bucket().tryConsumeAndReturnRemaining(1);
        return new RateLimitResult(probe.isConsumed(), limit.capacity(), probe.getRemainingTokens(),
                probe.isConsumed() ? 0 : probe.getNanosToWaitForRefill(), probe.getNanosToWaitForReset());
    }

    private BucketConfiguration configuration(RateLimit limit) {
        return configurations.computeIfAbsent(limit, ignored -> BucketConfiguration.builder()
                .addLimit(Bandwidth.builder().capacity(limit.capacity()).refillGreedy(limit.limit(), limit.period())
                        .build())
                .build());
    }

    private static long refillNanos(RateLimit limit) {
        try {
            return Math.max(1_000_000L, Math.multiplyExact(limit.intervalNanos(), limit.capacity()));
        }
        catch (ArithmeticException ex) {
            return Long.MAX_VALUE / 2;
        }
    }

    /** Changes the bound at runtime (on reload); Caffeine evicts down to it. */
    public void maxKeys(long maxKeys) {
        buckets.policy().eviction().ifPresent(eviction -> eviction.setMaximum(maxKeys));
    }

    /** Buckets held now (approximate until the cache's maintenance ran). */
    public long size() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }
}
