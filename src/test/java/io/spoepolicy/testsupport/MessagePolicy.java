package io.spoepolicy.testsupport;

import java.util.Set;
import java.util.function.Function;

import reactor.core.publisher.Mono;

import io.spoepolicy.policy.Decision;
import io.spoepolicy.policy.PolicyRequest;
import io.spoepolicy.policy.SpoePolicy;
import io.spoepolicy.policy.SyncSpoePolicy;

/**
 * A test policy with controlled behaviour that answers one SPOE message and is named after it
 * (a test sends {@code MessageBuilder.message(name)} to reach it); {@link Sync} for a synchronous one.
 *
 * @param name the policy's name and the only message it answers
 * @param body what {@link #evaluate} does, a throw included
 */
public record MessagePolicy(String name, Function<PolicyRequest, Mono<Decision>> body) implements SpoePolicy {

    @Override
    public Set<String> messages() {
        return Set.of(name);
    }

    @Override
    public Mono<Decision> evaluate(PolicyRequest request) {
        return body.apply(request);
    }

    /**
     * The synchronous kind, on the policy scheduler (not inline), so its body may block.
     *
     * @param name the policy's name and the only message it answers
     * @param body what {@link #decide} does
     */
    public record Sync(String name, Function<PolicyRequest, Decision> body) implements SyncSpoePolicy {

        @Override
        public Set<String> messages() {
            return Set.of(name);
        }

        @Override
        public Decision decide(PolicyRequest request) {
            return body.apply(request);
        }
    }
}
