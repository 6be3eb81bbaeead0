package io.spoepolicy.policy.ratelimit;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.springframework.beans.factory.DisposableBean;

import io.spoepolicy.policy.SpoePolicy;
import io.spoepolicy.policy.resilience.GuardFactory;
import io.spoepolicy.policy.settings.ConfiguredPolicyFamily;

/**
 * Builds the {@link RateLimitPolicy} from {@code spoe.policies.rate-limit.*}. The local buckets
 * and the Redis connection outlive reloads: a reload that keeps a limit keeps its counts.
 */
public final class RateLimitFamily extends ConfiguredPolicyFamily<RateLimitProperties> implements DisposableBean {

    /** Resilience4j instance name of Redis' circuit breaker and time limiter. */
    public static final String GUARD = "rate-limit-redis";

    static final CircuitBreakerConfig BREAKER_DEFAULTS = CircuitBreakerConfig.custom()
            .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
            .slidingWindowSize(20)
            .minimumNumberOfCalls(5)
            .failureRateThreshold(50)
            .waitDurationInOpenState(Duration.ofSeconds(2))
            .permittedNumberOfCallsInHalfOpenState(3)
            .build();

    private final GuardFactory guards;
    private volatile LocalRateLimiter local;
    private final Map<RedisKey, RedisRateLimiter> redis = new ConcurrentHashMap<>();

    private record RedisKey(String uri, Duration timeout, Duration connectTimeout, Duration reconnectMaxDelay) {
    }

    public RateLimitFamily(GuardFactory guards) {
        super(RateLimitPolicy.NAME, RateLimitPolicy.PREFIX, RateLimitProperties.class);
        this.guards = guards;
    }

    /** The policy for bound properties, sharing this family's buckets and connections. */
    @Override
    protected SpoePolicy buildFor(RateLimitProperties properties) {
        LocalRateLimiter buckets = local(properties.local().maxKeys());
        FallbackRateLimiter shared = null;
        if (properties.store() == RateLimitProperties.Store.REDIS) {
            RateLimitProperties.Redis settings = properties.redis();
            RedisRateLimiter store = redis.computeIfAbsent(new RedisKey(settings.uri(), settings.timeout(),
                    settings.connectTimeout(), settings.reconnectMaxDelay()), key -> {
                        RedisRateLimiter created = new RedisRateLimiter(key.uri(), key.timeout(), key.connectTimeout(),
                                key.reconnectMaxDelay());
                        created.connectInBackground();
                        return created;
                    });
            shared = new FallbackRateLimiter(store, guards.guard(GUARD, BREAKER_DEFAULTS, settings.timeout()),
                    settings.fallback(), buckets, settings.fallbackReplicas());
        }
        return new RateLimitPolicy(properties, buckets, shared);
    }

    private synchronized LocalRateLimiter local(long maxKeys) {
        if (local == null) {
            local = new LocalRateLimiter(maxKeys);
        }
        else {
            local.maxKeys(maxKeys);
        }
        return local;
    }

    @Override
    public void retainOnly(Collection<SpoePolicy> active) {
        RedisRateLimiter used = null;
        for (SpoePolicy policy : active) {
            if (policy instanceof RateLimitPolicy limit && limit.shared() != null) {
                used = limit.shared().redis();
            }
        }
        RedisRateLimiter keep = used;
        redis.values().removeIf(store -> {
            if (store == keep) {
                return false;
            }
            store.close();
            return true;
        });
    }

    @Override
    public void destroy() {
        redis.values().forEach(RedisRateLimiter::close);
        redis.clear();
    }
}
