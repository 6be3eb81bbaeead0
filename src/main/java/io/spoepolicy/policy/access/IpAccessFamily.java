package io.spoepolicy.policy.access;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import io.spoepolicy.policy.SpoePolicy;
import io.spoepolicy.policy.settings.PolicyBinder;
import io.spoepolicy.policy.settings.PolicyFamily;

/** Builds the {@link IpAccessPolicy} from {@code spoe.policies.ip-access.*}. */
public final class IpAccessFamily implements PolicyFamily {

    @Override
    public String name() {
        return IpAccessPolicy.NAME;
    }

    @Override
    public Optional<SpoePolicy> build(PolicyBinder binder) {
        IpAccessProperties properties = binder.bind(IpAccessPolicy.PREFIX, IpAccessProperties.class);
        return properties.enabled() ? Optional.of(new IpAccessPolicy(properties)) : Optional.empty();
    }

    @Override
    public List<Path> watchedFiles(SpoePolicy built) {
        return built instanceof IpAccessPolicy policy ? policy.files() : List.of();
    }
}
