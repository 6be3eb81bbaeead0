package io.spoepolicy.observability;

import java.util.function.Supplier;
import java.util.function.ToLongFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import io.spoepolicy.policy.auth.CacheCounts;
import io.spoepolicy.policy.auth.JwtPolicy;

/**
 * The JWT policy's caches under Micrometer's cache meter names ({@code cache.gets} by
 * {@code result}, {@code cache.evictions}, {@code cache.size}, as {@code CaffeineCacheMetrics}
 * names them), tagged {@code cache} and {@code policy}: {@code verified-tokens} and {@code jwks}.
 * Not {@code CaffeineCacheMetrics} itself: it binds one cache instance, and every reload builds a
 * new policy with a new, empty cache; these meters read the active policy on each scrape, and the
 * token counts from the family, which counts across reloads.
 */
public final class JwtCacheMetrics implements MeterBinder {

    static final String TOKENS = "verified-tokens";
    static final String JWKS = "jwks";
    private static final CacheCounts NONE = new CacheCounts(0, 0, 0);
    /** One description per meter name: Prometheus has one HELP line per name. */
    private static final String SIZE = "Entries in the JWT policy's caches: verified tokens, keys from the JWKS endpoint";

    private final Supplier<CacheCounts> tokenCounts;
    private final Supplier<JwtPolicy> active;

    /**
     * @param tokenCounts the verified-token caches' counts, summed over reloads
     * @param active the JWT policy in use, or {@code null} while it is off
     */
    public JwtCacheMetrics(Supplier<CacheCounts> tokenCounts, Supplier<JwtPolicy> active) {
        this.tokenCounts = tokenCounts;
        this.active = active;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Tags tokens = Tags.of("cache", TOKENS, "policy", JwtPolicy.NAME);
        gets(registry, tokens, "hit", metrics -> metrics.tokens().hits());
        gets(registry, tokens, "miss", metrics -> metrics.tokens().misses());
        FunctionCounter.builder("cache.evictions", this, metrics -> metrics.tokens().evictions())
                .description("Verified tokens removed by the size bound (max-entries) or because they expired")
                .tags(tokens).register(registry);
        Gauge.builder("cache.size", this, metrics -> {
            JwtPolicy policy = metrics.active.get();
            return policy == null ? 0 : policy.cachedTokens();
        }).description(SIZE).tags(tokens).register(registry);

        Tags keys = Tags.of("cache", JWKS, "policy", JwtPolicy.NAME);
        gets(registry, keys, "hit", metrics -> metrics.jwks().hits());
        gets(registry, keys, "miss", metrics -> metrics.jwks().misses());
        Gauge.builder("cache.size", this, metrics -> {
            JwtPolicy.JwksHealth health = metrics.jwksHealth();
            return health == null ? 0 : health.cachedKeys();
        }).description(SIZE).tags(keys).register(registry);
        FunctionCounter.builder("spoe.jwks.fetches", this, metrics -> {
            JwtPolicy.JwksHealth health = metrics.jwksHealth();
            return health == null ? 0 : health.fetches();
        }).description("Fetches of the JWKS endpoint started (refresh interval, unknown kid, start-up)")
                .tag("policy", JwtPolicy.NAME).register(registry);
        FunctionCounter.builder("spoe.jwks.fetch.failures", this, metrics -> {
            JwtPolicy.JwksHealth health = metrics.jwksHealth();
            return health == null ? 0 : health.failures();
        }).description("Fetches of the JWKS endpoint that failed (error, time limit, open circuit)")
                .tag("policy", JwtPolicy.NAME).register(registry);
    }

    private void gets(MeterRegistry registry, Tags tags, String result, ToLongFunction<JwtCacheMetrics> count) {
        FunctionCounter.builder("cache.gets", this, metrics -> count.applyAsLong(metrics))
                .description("Lookups in the JWT policy's caches that found their entry (hit) or not (miss)")
                .tags(tags).tag("result", result).register(registry);
    }

    private CacheCounts tokens() {
        CacheCounts counts = tokenCounts.get();
        return counts == null ? NONE : counts;
    }

    private CacheCounts jwks() {
        JwtPolicy policy = active.get();
        CacheCounts counts = policy == null ? null : policy.jwksCounts();
        return counts == null ? NONE : counts;
    }

    private JwtPolicy.JwksHealth jwksHealth() {
        JwtPolicy policy = active.get();
        return policy == null ? null : policy.jwksHealth();
    }
}
