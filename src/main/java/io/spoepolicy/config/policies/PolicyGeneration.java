package io.spoepolicy.config.policies;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.spoepolicy.policy.SpoePolicy;

/**
 * One applied policy configuration: the chains the dispatcher runs, and what produced them.
 * Immutable; a reload replaces the whole generation at once.
 *
 * @param number 1 for the startup configuration, then one more per applied reload
 * @param loadedAt when it was applied
 * @param trigger what applied it: {@code startup}, {@code actuator}, {@code file-change} …
 * @param chains policy chains by message name, settings applied, in evaluation order
 * @param policies the policies as built, before settings were applied
 * @param watchedFiles configuration and data files whose change triggers a reload
 */
public record PolicyGeneration(long number, Instant loadedAt, String trigger, Map<String, List<SpoePolicy>> chains,
        List<SpoePolicy> policies, List<Path> watchedFiles) {

    public PolicyGeneration {
        policies = List.copyOf(policies);
        watchedFiles = List.copyOf(watchedFiles);
    }
}
