package io.spoepolicy.config.policies;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.spoepolicy.policy.SpoePolicy;

/**
 * The policy generation in use. The dispatcher reads {@link #chains()} once per NOTIFY, so a
 * swap is atomic for every message: each sees either the old or the new configuration whole.
 */
public final class ActivePolicies {

    private final AtomicReference<PolicyGeneration> current;

    public ActivePolicies(PolicyGeneration initial) {
        this.current = new AtomicReference<>(initial);
    }

    public PolicyGeneration current() {
        return current.get();
    }

    public Map<String, List<SpoePolicy>> chains() {
        return current.get().chains();
    }

    void swap(PolicyGeneration next) {
        current.set(next);
    }
}
