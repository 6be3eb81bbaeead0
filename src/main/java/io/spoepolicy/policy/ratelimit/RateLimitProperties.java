package io.spoepolicy.policy.ratelimit;

import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import io.spoepolicy.policy.settings.ConfiguredPolicyFamily;
import io.spoepolicy.policy.settings.ScopeBinding;

/**
 * Rate limiting ({@code spoe.policies.rate-limit.*}): {@code limit} requests per {@code period},
 * with up to {@code burst} at once (a token bucket of capacity {@code burst} refilled at
 * {@code limit/period}; the Redis store computes the same thing with GCRA).
 *
 * @param enabled whether the policy runs
 * @param limit requests per period
 * @param period the period
 * @param burst requests allowed at once; 0 means {@code limit}
 * @param key what a bucket is per: {@code ip}, {@code header}, {@code subject} (the authenticated
 *        user, from the JWT or API-key policy earlier in the chain), or {@code path} (one bucket
 *        per matched path prefix, shared by all clients). A missing header or subject falls back
 *        to the client address
 * @param header the header for {@code key: header}
 * @param denyStatus status of a rate-limited request
 * @param store {@code local} (per replica) or {@code redis} (shared by all replicas)
 * @param local in-memory store settings
 * @param redis shared store settings
 * @param scopes other limits for some hosts or paths (each with its own buckets); unset fields keep
 *        the top-level value
 */
@Validated
@ConfigurationProperties("spoe.policies.rate-limit")
public record RateLimitProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("100") @Min(1) long limit,
        @DefaultValue("1s") @NotNull Duration period,
        @DefaultValue("0") @Min(0) long burst,
        @DefaultValue("ip") @NotNull KeySource key,
        String header,
        @DefaultValue("429") @Min(100) @Max(599) int denyStatus,
        @DefaultValue("local") @NotNull Store store,
        @DefaultValue @Valid Local local,
        @DefaultValue @Valid Redis redis,
        @DefaultValue List<@Valid @NotNull Scope> scopes) implements ConfiguredPolicyFamily.Switchable {

    @AssertTrue(message = "must be positive")
    public boolean isPeriodPositive() {
        return period == null || !period.isNegative() && !period.isZero();
    }

    @AssertTrue(message = "set spoe.policies.rate-limit.header when key is 'header'")
    public boolean isHeaderSet() {
        return key != KeySource.HEADER || header != null && !header.isBlank();
    }

    public enum Store {
        LOCAL, REDIS
    }

    /** What a request is counted against. */
    public enum KeySource {
        IP, HEADER, SUBJECT, PATH
    }

    /** What answers when Redis cannot. */
    public enum Fallback {
        /** Allow, and say so in {@code ratelimit_fallback}. */
        FAIL_OPEN,
        /** Deny with {@code fallback-status}. */
        FAIL_CLOSED,
        /** Apply the limits per replica, divided by {@code fallback-replicas}. */
        LOCAL
    }

    /**
     * @param maxKeys buckets kept at most; beyond, the least valuable are evicted (an evicted
     *        bucket comes back full). Memory is bounded by this, whatever the number of clients:
     *        about 300 bytes per bucket
     */
    public record Local(@DefaultValue("200000") @Min(1) long maxKeys) {
    }

    /**
     * @param uri Redis URI ({@code redis://host:port/db}, {@code rediss://} for TLS)
     * @param keyPrefix prefix of every key the limiter writes
     * @param timeout time budget of one decision (Resilience4j time limiter
     *        {@code rate-limit-redis}); keep it well below {@code spoe.policies.deadline}
     * @param connectTimeout TCP connect timeout
     * @param reconnectMaxDelay longest wait between reconnection attempts after Redis went away
     * @param fallback what decides while Redis fails or its circuit breaker is open
     * @param fallbackStatus status of a fail-closed denial
     * @param fallbackReplicas number of agent replicas: the local fallback divides the limits by it
     */
    public record Redis(
            @DefaultValue("redis://127.0.0.1:6379") @NotBlank String uri,
            @DefaultValue("spoe:rl:") @NotNull String keyPrefix,
            @DefaultValue("100ms") @NotNull Duration timeout,
            @DefaultValue("1s") @NotNull Duration connectTimeout,
            @DefaultValue("1s") @NotNull Duration reconnectMaxDelay,
            @DefaultValue("local") @NotNull Fallback fallback,
            @DefaultValue("503") @Min(100) @Max(599) int fallbackStatus,
            @DefaultValue("1") @Min(1) int fallbackReplicas) {
    }

    /**
     * @param name bucket name (part of every key); defaults to {@code scope-<index>}
     * @param hosts host patterns
     * @param paths path prefixes
     */
    public record Scope(String name, List<String> hosts, List<String> paths, @Min(1) Long limit, Duration period,
            @Min(0) Long burst, KeySource key, String header, @Min(100) @Max(599) Integer denyStatus)
            implements ScopeBinding.Entry {
    }
}
