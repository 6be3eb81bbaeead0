package io.spoepolicy.policy.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.github.resilience4j.reactor.timelimiter.TimeLimiterOperator;
import io.github.resilience4j.timelimiter.TimeLimiter;
import reactor.core.publisher.Mono;

/**
 * A circuit breaker and a time limiter around one outbound dependency (the JWKS endpoint, Redis).
 * A call that overruns the time limit counts as a failure; once the breaker is open, calls fail at
 * once with {@code CallNotPermittedException} and the caller's fallback answers.
 *
 * @param circuitBreaker shared across reloads, so its state survives them
 * @param timeLimiter the per-call time budget
 */
public record Guard(CircuitBreaker circuitBreaker, TimeLimiter timeLimiter) {

    public <T> Mono<T> protect(Mono<T> call) {
        return call.transformDeferred(TimeLimiterOperator.of(timeLimiter))
                .transformDeferred(CircuitBreakerOperator.of(circuitBreaker));
    }
}
