package io.spoepolicy.policy.ratelimit;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import reactor.core.publisher.Mono;

import io.spoepolicy.policy.Decision;
import io.spoepolicy.policy.DecisionContract;
import io.spoepolicy.policy.DescribedPolicy;
import io.spoepolicy.policy.PolicyRequest;
import io.spoepolicy.policy.SpoePolicy;
import io.spoepolicy.policy.scope.Scope;
import io.spoepolicy.policy.scope.ScopeSelector;
import io.spoepolicy.policy.settings.PolicyConfigurationException;
import io.spoepolicy.policy.settings.ScopeBinding;

/**
 * Limits request rates per client address, header, authenticated subject or path prefix, locally
 * or shared through Redis. Every decision carries {@code ratelimit_limit},
 * {@code ratelimit_remaining}, {@code ratelimit_reset} and {@code ratelimit_policy}, and a denial
 * {@code ratelimit_retry_after}, for HAProxy's {@code RateLimit} and {@code Retry-After} headers.
 */
public final class RateLimitPolicy implements SpoePolicy, DescribedPolicy {

    public static final String NAME = "rate-limit";
    static final Set<String> VARIABLES = Set.of(DecisionContract.RATELIMIT_LIMIT, DecisionContract.RATELIMIT_REMAINING,
            DecisionContract.RATELIMIT_RESET, DecisionContract.RATELIMIT_RETRY_AFTER, DecisionContract.RATELIMIT_POLICY,
            DecisionContract.RATELIMIT_FALLBACK);
    static final String PREFIX = "spoe.policies.rate-limit";

    private final ScopeSelector<LimitRule> rules;
    private final LocalRateLimiter local;
    private final FallbackRateLimiter shared;
    private final int fallbackStatus;
    private final RateLimitProperties properties;

    /**
     * @param local the per-replica store (also the Redis fallback)
     * @param shared the Redis store with its fallback, or {@code null} for local limits
     * @throws PolicyConfigurationException naming the property at fault
     */
    RateLimitPolicy(RateLimitProperties properties, LocalRateLimiter local, FallbackRateLimiter shared) {
        this.properties = properties;
        this.local = local;
        this.shared = shared;
        this.fallbackStatus = properties.redis().fallbackStatus();
        LimitRule top = rule(PREFIX, "default", Scope.EVERYWHERE, properties.limit(), properties.period(),
                properties.burst(), properties.key(), properties.header(), properties.denyStatus());
        this.rules = ScopeBinding.select(PREFIX, top, properties.scopes(), (prefix, i, scope, where) -> {
            String name = scope.name() != null && !scope.name().isBlank() ? scope.name() : "scope-" + i;
            if (!name.matches("[A-Za-z0-9_.-]+") || name.equals("default")) {
                throw new PolicyConfigurationException(prefix + ".name",
                        "'" + name + "' must be letters, digits, '_', '.' or '-', and not 'default'");
            }
            return rule(prefix, name, where,
                    scope.limit() != null ? scope.limit() : properties.limit(),
                    scope.period() != null ? scope.period() : properties.period(),
                    scope.burst() != null ? scope.burst() : properties.burst(),
                    scope.key() != null ? scope.key() : properties.key(),
                    scope.header() != null ? scope.header() : properties.header(),
                    scope.denyStatus() != null ? scope.denyStatus() : properties.denyStatus());
        });
    }

    private static LimitRule rule(String prefix, String name, Scope scope, long limit, Duration period, long burst,
            RateLimitProperties.KeySource key, String header, int denyStatus) {
        if (period.isZero() || period.isNegative()) {
            throw new PolicyConfigurationException(prefix + ".period", "must be positive");
        }
        if (key == RateLimitProperties.KeySource.HEADER && (header == null || header.isBlank())) {
            throw new PolicyConfigurationException(prefix + ".header", "must be set when key is 'header'");
        }
        RateLimit rateLimit = new RateLimit(limit, period, burst > 0 ? burst : limit);
        return new LimitRule(name, scope, rateLimit, key, header == null ? null : header.toLowerCase(Locale.ROOT),
                denyStatus);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> variables() {
        return VARIABLES;
    }

    /** Runs on warm-up requests up to the bucket: it never consumes from one (local or Redis) for them. */
    @Override
    public boolean warmsUp() {
        return true;
    }

    @Override
    public Mono<Decision> evaluate(PolicyRequest request) {
        LimitRule rule = rules.select(request);
        String key = BucketKeys.of(rule, request);
        if (request.warmup()) {
            return Mono.just(Decision.allow());
        }
        if (shared == null) {
            // Local counting is CPU-only: answer on the caller's thread, no Redis, no fallback.
            return Mono.just(decision(local.consumeNow(key + "@" + rule.limit().fingerprint(), rule.limit()), rule, null));
        }
        return shared.consume(properties.redis().keyPrefix() + key, rule.limit())
                .map(answer -> decision(answer.result(), rule, answer.fallback()));
    }

    private Decision decision(RateLimitResult result, LimitRule rule, RateLimitProperties.Fallback fallback) {
        if (result == null) {
            // fail-open or fail-closed: Redis could not count, so there are no counts to report.
            Decision decision = fallback == RateLimitProperties.Fallback.FAIL_CLOSED
                    ? Decision.deny(fallbackStatus, "ratelimit-unavailable") : Decision.allow();
            return decision.withVariable(DecisionContract.RATELIMIT_FALLBACK, label(fallback));
        }
        Decision decision = result.allowed() ? Decision.allow() : Decision.deny(rule.denyStatus(), "rate-limited");
        decision = decision.withVariable(DecisionContract.RATELIMIT_LIMIT, result.limit())
                .withVariable(DecisionContract.RATELIMIT_REMAINING, result.remaining())
                .withVariable(DecisionContract.RATELIMIT_RESET, RateLimitResult.seconds(result.resetNanos()))
                .withVariable(DecisionContract.RATELIMIT_POLICY, rule.limit().policyHeader());
        if (!result.allowed()) {
            decision = decision.withVariable(DecisionContract.RATELIMIT_RETRY_AFTER,
                    Math.max(1, RateLimitResult.seconds(result.retryAfterNanos())));
        }
        return fallback == null ? decision : decision.withVariable(DecisionContract.RATELIMIT_FALLBACK, label(fallback));
    }

    private static String label(RateLimitProperties.Fallback fallback) {
        return fallback.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Limits and store; not the Redis URI (it may carry a password). */
    @Override
    public Map<String, Object> describe() {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("store", properties.store().name().toLowerCase(Locale.ROOT));
        summary.put("policy", rules.fallback().limit().policyHeader());
        summary.put("key", properties.key().name().toLowerCase(Locale.ROOT));
        summary.put("scopes", properties.scopes().size());
        if (shared != null) {
            summary.put("fallback", label(properties.redis().fallback()));
        }
        return summary;
    }

    /**
     * The shared store's state for health reporting, or {@code null} for local limits.
     *
     * @param connected whether the Redis connection is open
     * @param circuit the circuit breaker's state ({@code CLOSED}, {@code OPEN}, {@code HALF_OPEN} …)
     * @param fallback what decides while Redis cannot
     * @param fallbackDecisions decisions the fallback took so far
     */
    public record RedisHealth(boolean connected, String circuit, String fallback, long fallbackDecisions) {
    }

    public RedisHealth redisHealth() {
        return shared == null ? null : new RedisHealth(shared.redis().connected(),
                shared.guard().circuitBreaker().getState().name(), label(shared.fallbackMode()), shared.fallbacks());
    }

    FallbackRateLimiter shared() {
        return shared;
    }
}
