package io.spoepolicy.config.policies;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.spoepolicy.policy.SpoePolicy;
import io.spoepolicy.policy.auth.JwtPolicy;
import io.spoepolicy.policy.ratelimit.RateLimitPolicy;

/**
 * The policies' outbound dependencies in {@code /actuator/health}: {@code redis} (shared rate
 * limits) and {@code jwks} (the identity provider). They read the active policy generation, answer
 * UNKNOWN while the dependency is not configured, and belong to no probe group: an outage is
 * handled by the policies' fallbacks, never by restarting or unrouting agents.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(HealthIndicator.class)
public class PolicyHealthConfiguration {

    @Bean
    HealthIndicator redisHealthIndicator(ActivePolicies active) {
        return () -> {
            RateLimitPolicy limit = find(active, RateLimitPolicy.class);
            RateLimitPolicy.RedisHealth health = limit == null ? null : limit.redisHealth();
            if (health == null) {
                return Health.unknown().withDetail("configured", false).build();
            }
            boolean up = health.connected() && !"OPEN".equals(health.circuit()) && !"FORCED_OPEN".equals(health.circuit());
            return (up ? Health.up() : Health.down())
                    .withDetail("connected", health.connected())
                    .withDetail("circuit", health.circuit())
                    .withDetail("fallback", health.fallback())
                    .withDetail("fallbackDecisions", health.fallbackDecisions())
                    .build();
        };
    }

    @Bean
    HealthIndicator jwksHealthIndicator(ActivePolicies active) {
        return () -> {
            JwtPolicy jwt = find(active, JwtPolicy.class);
            JwtPolicy.JwksHealth health = jwt == null ? null : jwt.jwksHealth();
            if (health == null) {
                return Health.unknown().withDetail("configured", false).build();
            }
            return (health.reachable() ? Health.up() : Health.down())
                    .withDetail("cachedKeys", health.cachedKeys())
                    .withDetail("fetches", health.fetches())
                    .withDetail("failures", health.failures())
                    .build();
        };
    }

    private static <T extends SpoePolicy> T find(ActivePolicies active, Class<T> type) {
        for (SpoePolicy policy : active.current().policies()) {
            if (type.isInstance(policy)) {
                return type.cast(policy);
            }
        }
        return null;
    }
}
