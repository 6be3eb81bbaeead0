package io.spoepolicy.policy.waf.transform;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Interns transformation chains while rules are compiled; not thread-safe, load-time only. */
public final class TransformChainRegistry {

    private final Map<List<Transformation>, TransformChain> chains = new HashMap<>();

    public TransformChain intern(List<Transformation> steps) {
        if (steps.isEmpty()) {
            return TransformChain.NONE;
        }
        return chains.computeIfAbsent(List.copyOf(steps),
                s -> new TransformChain(s, chains.size() + 1));
    }
}
