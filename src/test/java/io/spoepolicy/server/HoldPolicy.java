package io.spoepolicy.server;

import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import io.spoepolicy.policy.Decision;
import io.spoepolicy.policy.PolicyRequest;
import io.spoepolicy.policy.SpoePolicy;

/**
 * Answers message {@code hold} only when the test opens its gate, and counts how many
 * evaluations run at once: what the in-flight limits bound.
 */
final class HoldPolicy implements SpoePolicy {

    private final AtomicReference<Sinks.Empty<Void>> gate = new AtomicReference<>(Sinks.empty());
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger started = new AtomicInteger();

    @Override
    public String name() {
        return "hold";
    }

    @Override
    public Set<String> messages() {
        return Set.of("hold");
    }

    @Override
    public Mono<Decision> evaluate(PolicyRequest request) {
        return Mono.defer(() -> {
            running.incrementAndGet();
            started.incrementAndGet();
            return gate.get().asMono().thenReturn(Decision.allow());
        }).doFinally(signal -> running.decrementAndGet());
    }

    int running() {
        return running.get();
    }

    int started() {
        return started.get();
    }

    /** Lets every waiting and future evaluation through until {@link #close()}. */
    void open() {
        gate.get().tryEmitEmpty();
    }

    /** Holds evaluations again; counters start from zero. */
    void close() {
        open();
        gate.set(Sinks.empty());
        started.set(0);
    }
}
