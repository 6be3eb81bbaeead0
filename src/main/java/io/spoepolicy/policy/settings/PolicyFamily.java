package io.spoepolicy.policy.settings;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import io.spoepolicy.policy.SpoePolicy;

/**
 * A built-in policy kind (IP access, JWT, API keys, rate limit) that is built from configuration,
 * at startup and again on every reload. A family is a long-lived bean that owns what must
 * survive reloads (connections, key caches, rate-limit buckets); the policies it builds are cheap,
 * immutable views of one configuration.
 */
public interface PolicyFamily {

    /** The policy name, which is also its configuration key under {@code spoe.policies}. */
    String name();

    /**
     * Builds the policy for a configuration snapshot, or nothing when it is disabled. Must not
     * change what the currently active policy does: a rejected reload leaves it untouched.
     *
     * @throws PolicyConfigurationException naming the property when the configuration is unusable
     */
    Optional<SpoePolicy> build(PolicyBinder binder);

    /** Files the built policy read (lists, keys, secrets): a change to them triggers a reload. */
    default List<Path> watchedFiles(SpoePolicy built) {
        return List.of();
    }

    /**
     * Called after every reload attempt with the policies now active (the new ones, or the old ones
     * after a rejection), so that the family can release resources only rejected or replaced
     * configurations used.
     */
    default void retainOnly(Collection<SpoePolicy> active) {
    }
}
