package io.spoepolicy.policy;

import reactor.core.publisher.Mono;

/**
 * A policy written as plain synchronous code. The dispatcher runs {@link #decide} on the bounded
 * policy scheduler ({@code spoe.policies.scheduler.*}), never on a network event loop, unless the
 * policy declares itself {@link #inline()}.
 */
public interface SyncSpoePolicy extends SpoePolicy {

    Decision decide(PolicyRequest request);

    /**
     * Whether {@link #decide} is cheap (a few microseconds at most), CPU-only and never blocks.
     * Inline policies run on the event loop that read the frame, which saves a thread hop per
     * request; anything that may touch I/O, take locks or scan large inputs must return false.
     */
    default boolean inline() {
        return false;
    }

    /** Used only when the policy is called directly; the dispatcher schedules {@link #decide}. */
    @Override
    default Mono<Decision> evaluate(PolicyRequest request) {
        return Mono.fromSupplier(() -> decide(request));
    }
}
