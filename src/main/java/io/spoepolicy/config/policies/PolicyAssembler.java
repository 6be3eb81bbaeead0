package io.spoepolicy.config.policies;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;

import io.spoepolicy.policy.PolicyDispatcher;
import io.spoepolicy.policy.SpoePolicy;
import io.spoepolicy.policy.settings.ManagedPolicy;
import io.spoepolicy.policy.settings.PolicyBinder;
import io.spoepolicy.policy.settings.PolicyConfigurationException;
import io.spoepolicy.policy.settings.PolicyFamily;
import io.spoepolicy.policy.settings.PolicySettings;

/**
 * Builds a policy generation from one configuration snapshot: the enabled built-in families plus
 * the application's own policy beans, each wrapped with its {@code spoe.policies.<name>}
 * settings, ordered by {@code spoe.policies.order} then {@code @Order}, grouped by message.
 * Nothing is applied here; a failure throws before anything changes.
 */
final class PolicyAssembler {

    static final String PREFIX = "spoe.policies";

    private final List<PolicyFamily> families;
    private final Supplier<List<SpoePolicy>> beans;

    PolicyAssembler(List<PolicyFamily> families, Supplier<List<SpoePolicy>> beans) {
        this.families = List.copyOf(families);
        this.beans = beans;
    }

    List<PolicyFamily> families() {
        return families;
    }

    PolicyGeneration assemble(PolicyBinder binder, long number, String trigger, List<Path> configFiles) {
        List<String> order = binder.bind(PREFIX + ".order", Bindable.listOf(String.class));
        List<SpoePolicy> built = new ArrayList<>(beans.get());
        List<Path> watched = new ArrayList<>(configFiles);
        for (PolicyFamily family : families) {
            var policy = family.build(binder);
            if (policy.isPresent()) {
                built.add(policy.get());
                watched.addAll(family.watchedFiles(policy.get()));
            }
            else {
                // Checked even while disabled, as its own properties are: a typo fails now, not
                // on the day the policy is switched on.
                settings(binder, family.name());
            }
        }
        AnnotationAwareOrderComparator.sort(built);
        Set<String> names = new HashSet<>();
        List<SpoePolicy> managed = new ArrayList<>(built.size());
        for (SpoePolicy policy : built) {
            if (!names.add(policy.name())) {
                throw new PolicyConfigurationException(PREFIX, "two policies are named '" + policy.name()
                        + "'; policy names must be unique");
            }
            PolicySettings settings = settings(binder, policy.name());
            try {
                managed.add(ManagedPolicy.wrap(policy, settings));
            }
            catch (IllegalArgumentException ex) {
                throw new PolicyConfigurationException(PREFIX + "." + policy.name() + ".scopes", ex.getMessage(), ex);
            }
        }
        // Stable: policies not listed keep their @Order among themselves, after the listed ones.
        managed.sort(Comparator.comparingInt(policy -> {
            int index = order.indexOf(policy.name());
            return index < 0 ? Integer.MAX_VALUE : index;
        }));
        Map<String, List<SpoePolicy>> chains = new LinkedHashMap<>();
        for (SpoePolicy policy : managed) {
            for (String message : policy.messages()) {
                chains.computeIfAbsent(message, name -> new ArrayList<>()).add(policy);
            }
        }
        return new PolicyGeneration(number, Instant.now(), trigger, PolicyDispatcher.copyOf(chains), built,
                watched.stream().distinct().toList());
    }

    private static PolicySettings settings(PolicyBinder binder, String name) {
        String prefix = PREFIX + "." + name;
        if (!ConfigurationPropertyName.isValid(prefix)) {
            // A name such as "MyPolicy" cannot be a property key: such a policy has no settings.
            return PolicySettings.DEFAULT;
        }
        return binder.bind(prefix, PolicySettings.class);
    }
}
