package io.spoepolicy.policy.settings;

import java.util.Objects;
import java.util.Optional;

import io.spoepolicy.policy.SpoePolicy;

/**
 * A family configured by one properties record under its prefix, with an {@code enabled} switch:
 * the record is bound (and validated) on every build, and the policy is built only when enabled.
 * Subclasses say how a policy is made from the record and what must outlive a reload.
 *
 * @param <P> the properties record
 */
public abstract class ConfiguredPolicyFamily<P extends ConfiguredPolicyFamily.Switchable> implements PolicyFamily {

    /** Properties that can turn their policy off ({@code spoe.policies.<name>.enabled}). */
    public interface Switchable {

        boolean enabled();
    }

    private final String name;
    private final String prefix;
    private final Class<P> type;

    /**
     * @param name the policy name
     * @param prefix where the properties are bound, {@code spoe.policies.<name>}
     * @param type the properties record
     */
    protected ConfiguredPolicyFamily(String name, String prefix, Class<P> type) {
        this.name = Objects.requireNonNull(name, "name");
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        this.type = Objects.requireNonNull(type, "type");
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Optional<SpoePolicy> build(PolicyBinder binder) {
        P properties = binder.bind(prefix, type);
        return properties.enabled() ? Optional.of(buildFor(properties)) : Optional.empty();
    }

    /**
     * The policy for bound properties that are enabled.
     *
     * @throws PolicyConfigurationException naming the property when the configuration is unusable
     */
    protected abstract SpoePolicy buildFor(P properties);
}
