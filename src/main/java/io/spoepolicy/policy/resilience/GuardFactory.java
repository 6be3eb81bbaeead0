package io.spoepolicy.policy.resilience;

import java.time.Duration;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;

/**
 * Hands out {@link Guard}s by name from the Resilience4j registries, so that
 * {@code resilience4j.circuitbreaker.instances.<name>.*} (or {@code configs.<name>}) and
 * {@code resilience4j.timelimiter.instances.<name>.*} override the policy's own defaults, and the
 * breakers show in Actuator and metrics. Without registries (plain unit tests) the guards are
 * standalone.
 */
public final class GuardFactory {

    private final CircuitBreakerRegistry breakers;
    private final TimeLimiterRegistry limiters;

    public GuardFactory(CircuitBreakerRegistry breakers, TimeLimiterRegistry limiters) {
        this.breakers = breakers;
        this.limiters = limiters;
    }

    /** Standalone guards, for tests and tools. */
    public static GuardFactory standalone() {
        return new GuardFactory(null, null);
    }

    /**
     * @param name the Resilience4j instance name
     * @param defaults breaker settings when configuration does not name this instance
     * @param timeout time limit when configuration does not name this instance
     */
    public Guard guard(String name, CircuitBreakerConfig defaults, Duration timeout) {
        return new Guard(circuitBreaker(name, defaults), timeLimiter(name, timeout));
    }

    private CircuitBreaker circuitBreaker(String name, CircuitBreakerConfig defaults) {
        if (breakers == null) {
            return CircuitBreaker.of(name, defaults);
        }
        var existing = breakers.find(name);
        if (existing.isPresent()) {
            return existing.get();
        }
        return breakers.getConfiguration(name).isPresent()
                ? breakers.circuitBreaker(name, name) : breakers.circuitBreaker(name, defaults);
    }

    private TimeLimiter timeLimiter(String name, Duration timeout) {
        TimeLimiterConfig defaults = TimeLimiterConfig.custom().timeoutDuration(timeout).cancelRunningFuture(true).build();
        if (limiters == null) {
            return TimeLimiter.of(name, defaults);
        }
        var existing = limiters.find(name);
        if (existing.isPresent()) {
            return existing.get();
        }
        if (limiters.getConfiguration(name).isPresent()) {
            return limiters.timeLimiter(name, name);
        }
        // Not registered: a time limiter has no state, and the configured timeout may change on reload.
        return TimeLimiter.of(name, defaults);
    }
}
