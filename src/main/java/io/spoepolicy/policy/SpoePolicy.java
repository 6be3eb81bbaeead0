package io.spoepolicy.policy;

import java.util.Set;

import reactor.core.publisher.Mono;

/**
 * A request policy: a Spring bean that receives SPOE messages and returns a decision.
 *
 * <p>Implement this interface for policies that are naturally asynchronous (a Redis call, a
 * remote lookup): return a {@link Mono} and never block. For synchronous code implement
 * {@link SyncSpoePolicy} instead, which the dispatcher runs on a bounded scheduler. Every policy
 * bean in the context is picked up; the order comes from {@code spoe.policies.order}, then from
 * {@link org.springframework.core.Ordered} / {@code @Order}.
 *
 * <p>Policies must be thread-safe: one instance serves every connection concurrently.
 *
 * <p>The request's values live in the NOTIFY's recycled payload buffer (see
 * {@link PolicyRequest}, "Lifetime"): the accessors that return {@code String}, {@code byte[]},
 * headers, numbers and addresses return copies that may be kept; raw {@code TypedValue}s and the
 * request itself are readable during {@link SyncSpoePolicy#decide} (even past the deadline) and,
 * for an asynchronous policy, until its {@link Mono} terminates or is cancelled. Read what an
 * asynchronous policy needs in {@link #evaluate} itself, as Netty handlers do with a
 * {@code ByteBuf} they do not retain; a late read throws
 * {@link io.netty.util.IllegalReferenceCountException}.
 */
public interface SpoePolicy {

    /**
     * A stable, short name (e.g. {@code ip-access}). It appears in the {@code policy} decision
     * variable, in metrics and in configuration, so keep it low-cardinality and constant.
     */
    String name();

    /** The SPOE message names this policy handles. */
    default Set<String> messages() {
        return Set.of(CheckRequest.MESSAGE);
    }

    /**
     * The names of the variables this policy may set through {@link Decision#withVariable}, without
     * scope or {@code var-prefix} (e.g. {@code user}). HAProxy 3.x drops variables missing from the
     * agent's {@code register-var-names}; the Actuator {@code spoe} endpoint adds these names to the
     * line it shows ({@code registerVarNames}). {@code action}, {@code status}, {@code reason},
     * {@code policy} and the {@code detect_*} names are set by the agent and need not be listed.
     */
    default Set<String> variables() {
        return Set.of();
    }

    /**
     * Whether this policy may run on the synthetic requests of the start-up warm-up
     * ({@link PolicyRequest#warmup()}), which exercises the request path before the agent reports
     * ready. A policy that is skipped counts as an allow there. Return {@code true} only when
     * evaluating has no side effect worth avoiding (counters, remote calls, writes), or when the
     * policy checks {@link PolicyRequest#warmup()} and skips them itself; {@code false} by default,
     * so a policy written before the warm-up existed never sees synthetic traffic.
     */
    default boolean warmsUp() {
        return false;
    }

    /**
     * Evaluates one message. The returned {@link Mono} must complete with a decision (empty means
     * {@link Decision#allow()}); errors and overruns of the deadline are answered by the
     * dispatcher with an error variable instead of a decision.
     */
    Mono<Decision> evaluate(PolicyRequest request);
}
