package io.spoepolicy.policy.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.bucket4j.TimeMeter;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LocalRateLimiterTest {

    /** A clock the test moves by hand. */
    static final class ManualClock implements TimeMeter {
        final AtomicLong nanos = new AtomicLong(1_000_000_000L);

        @Override
        public long currentTimeNanos() {
            return nanos.get();
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }

        void advance(Duration duration) {
            nanos.addAndGet(duration.toNanos());
        }
    }

    @Test
    void exactlyTheBurstIsAllowedUnderConcurrency() throws Exception {
        LocalRateLimiter limiter = new LocalRateLimiter(1000);
        RateLimit limit = new RateLimit(100, Duration.ofHours(1), 100);
        int requests = 2000;
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                Callable<Boolean> task = () -> {
                    start.await();
                    return limiter.consumeNow("hot", limit).allowed();
                };
                results.add(pool.submit(task));
            }
            start.countDown();
            int allowed = 0;
            for (Future<Boolean> result : results) {
                allowed += result.get(30, TimeUnit.SECONDS) ? 1 : 0;
            }
            System.out.printf("Local limiter: %d concurrent requests on %d threads, burst 100: %d allowed%n", requests,
                    threads, allowed);
            assertThat(allowed).isEqualTo(100);
        }
        finally {
            pool.shutdownNow();
        }
    }

    @Test
    void tokensComeBackAtTheConfiguredRateAndResultsCarryHeaderValues() {
        ManualClock clock = new ManualClock();
        LocalRateLimiter limiter = new LocalRateLimiter(10, clock);
        RateLimit limit = new RateLimit(10, Duration.ofSeconds(10), 5);
        for (int i = 4; i >= 0; i--) {
            RateLimitResult result = limiter.consumeNow("k", limit);
            assertThat(result.allowed()).isTrue();
            assertThat(result.remaining()).isEqualTo(i);
            assertThat(result.limit()).isEqualTo(5);
        }
        RateLimitResult denied = limiter.consumeNow("k", limit);
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.retryAfterNanos()).isEqualTo(Duration.ofSeconds(1).toNanos());
        assertThat(RateLimitResult.seconds(denied.resetNanos())).isEqualTo(5);
        clock.advance(Duration.ofMillis(999));
        assertThat(limiter.consumeNow("k", limit).allowed()).isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(limiter.consumeNow("k", limit).allowed()).isTrue();
        clock.advance(Duration.ofSeconds(60));
        assertThat(limiter.consumeNow("k", limit).remaining()).as("capped at the burst").isEqualTo(4);
    }

    @Test
    void memoryStaysBoundedUnderMillionsOfKeys() {
        int maxKeys = 20_000;
        LocalRateLimiter limiter = new LocalRateLimiter(maxKeys);
        RateLimit limit = new RateLimit(100, Duration.ofMinutes(1), 100);
        Runtime runtime = Runtime.getRuntime();
        long keys = 2_000_000;
        for (long i = 0; i < keys; i++) {
            limiter.consumeNow("ip:10." + (i >> 16 & 0xff) + "." + (i >> 8 & 0xff) + "." + (i & 0xff) + ":" + (i >> 24), limit);
        }
        long size = limiter.size();
        System.out.printf("Local limiter: %d distinct keys, max-keys %d, %d buckets held%n", keys, maxKeys, size);
        assertThat(size).isLessThanOrEqualTo(maxKeys);

        // Rough footprint per bucket: fill a fresh limiter and compare the heap.
        System.gc();
        long before = runtime.totalMemory() - runtime.freeMemory();
        LocalRateLimiter measured = new LocalRateLimiter(200_000);
        for (int i = 0; i < 100_000; i++) {
            measured.consumeNow("ip:192.0." + (i >> 8 & 0xff) + "." + (i & 0xff) + "#" + i, limit);
        }
        System.gc();
        long after = runtime.totalMemory() - runtime.freeMemory();
        assertThat(measured.size()).isEqualTo(100_000);
        System.out.printf("Local limiter: about %d bytes per bucket (100000 buckets, heap delta)%n", (after - before) / 100_000);
    }
}
