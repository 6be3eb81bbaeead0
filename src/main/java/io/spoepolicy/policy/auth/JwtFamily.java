package io.spoepolicy.policy.auth;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.github.benmanes.caffeine.cache.stats.CacheStats;
import com.github.benmanes.caffeine.cache.stats.ConcurrentStatsCounter;
import com.github.benmanes.caffeine.cache.stats.StatsCounter;
import com.nimbusds.jose.jwk.JWKSet;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.springframework.web.reactive.function.client.WebClient;

import io.spoepolicy.policy.SpoePolicy;
import io.spoepolicy.policy.resilience.GuardFactory;
import io.spoepolicy.policy.settings.ConfiguredPolicyFamily;
import io.spoepolicy.policy.settings.PolicyConfigurationException;

/**
 * Builds the {@link JwtPolicy} from {@code spoe.policies.jwt.*}. The JWKS cache of an endpoint is
 * kept across reloads as long as its URI and timing stay the same, so a reload does not refetch keys.
 * The verified-token caches of the policies it builds count into one counter, so their hit and
 * miss counts go on across reloads although each reload starts an empty cache.
 */
public final class JwtFamily extends ConfiguredPolicyFamily<JwtProperties> {

    /** Resilience4j instance name of the JWKS endpoint's circuit breaker and time limiter. */
    public static final String GUARD = "jwks";

    static final CircuitBreakerConfig BREAKER_DEFAULTS = CircuitBreakerConfig.custom()
            .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
            .slidingWindowSize(10)
            .minimumNumberOfCalls(3)
            .failureRateThreshold(50)
            .waitDurationInOpenState(Duration.ofSeconds(10))
            .permittedNumberOfCallsInHalfOpenState(1)
            .build();

    private final WebClient client;
    private final GuardFactory guards;
    private final Clock clock;
    private final Map<SourceKey, RemoteJwkSource> sources = new ConcurrentHashMap<>();
    private final StatsCounter tokenCacheStats = new ConcurrentStatsCounter();

    private record SourceKey(URI uri, JwtProperties.Jwks timing) {
    }

    public JwtFamily(WebClient client, GuardFactory guards, Clock clock) {
        super(JwtPolicy.NAME, JwtPolicy.PREFIX, JwtProperties.class);
        this.client = client;
        this.guards = guards;
        this.clock = clock;
    }

    @Override
    protected SpoePolicy buildFor(JwtProperties properties) {
        StaticJwkSource staticKeys = new StaticJwkSource(staticKeys(properties));
        RemoteJwkSource remote = null;
        if (properties.jwkSetUri() != null && !properties.jwkSetUri().isBlank()) {
            URI uri = uri(properties.jwkSetUri());
            remote = sources.computeIfAbsent(new SourceKey(uri, properties.jwks()), key -> {
                RemoteJwkSource source = new RemoteJwkSource(uri, client,
                        guards.guard(GUARD, BREAKER_DEFAULTS, properties.jwks().timeout()),
                        properties.jwks().refreshInterval(), properties.jwks().minRefreshInterval(),
                        properties.jwks().maxWait(), System::nanoTime);
                source.prefetch();
                return source;
            });
        }
        return new JwtPolicy(properties, staticKeys, remote, clock, tokenCacheStats);
    }

    /** Lookups and evictions of the verified-token caches of every policy built so far. */
    public CacheCounts tokenCacheCounts() {
        CacheStats stats = tokenCacheStats.snapshot();
        return new CacheCounts(stats.hitCount(), stats.missCount(), stats.evictionCount());
    }

    private static URI uri(String text) {
        try {
            URI uri = URI.create(text.trim());
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return uri;
        }
        catch (IllegalArgumentException ex) {
            throw new PolicyConfigurationException(JwtPolicy.PREFIX + ".jwk-set-uri",
                    "'" + text + "' is not a usable URL: " + ex.getMessage(), ex);
        }
    }

    private static List<VerificationKey> staticKeys(JwtProperties properties) {
        List<VerificationKey> keys = new ArrayList<>();
        if (properties.jwkSetFile() != null && !properties.jwkSetFile().isBlank()) {
            String property = JwtPolicy.PREFIX + ".jwk-set-file";
            try {
                keys.addAll(parse(property, Files.readString(Path.of(properties.jwkSetFile()), StandardCharsets.UTF_8)));
            }
            catch (IOException ex) {
                throw new PolicyConfigurationException(property, "cannot read " + properties.jwkSetFile() + ": " + ex, ex);
            }
        }
        if (properties.jwkSet() != null && !properties.jwkSet().isBlank()) {
            keys.addAll(parse(JwtPolicy.PREFIX + ".jwk-set", properties.jwkSet()));
        }
        return keys;
    }

    private static List<VerificationKey> parse(String property, String json) {
        try {
            List<VerificationKey> keys = VerificationKey.of(JWKSet.parse(json), true);
            if (keys.isEmpty()) {
                throw new PolicyConfigurationException(property, "the JWK set holds no signature verification key");
            }
            return keys;
        }
        catch (PolicyConfigurationException ex) {
            throw ex;
        }
        catch (Exception ex) {
            throw new PolicyConfigurationException(property, "not a valid JWK set: " + ex.getMessage(), ex);
        }
    }

    @Override
    public List<Path> watchedFiles(SpoePolicy built) {
        if (built instanceof JwtPolicy policy && policy.jwkSetFile() != null && !policy.jwkSetFile().isBlank()) {
            return List.of(Path.of(policy.jwkSetFile()));
        }
        return List.of();
    }

    @Override
    public void retainOnly(Collection<SpoePolicy> active) {
        RemoteJwkSource used = null;
        for (SpoePolicy policy : active) {
            if (policy instanceof JwtPolicy jwt) {
                used = jwt.remoteKeys();
            }
        }
        RemoteJwkSource keep = used;
        sources.values().removeIf(source -> source != keep);
    }
}
