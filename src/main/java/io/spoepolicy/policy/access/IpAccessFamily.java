package io.spoepolicy.policy.access;

import java.nio.file.Path;
import java.util.List;

import io.spoepolicy.policy.SpoePolicy;
import io.spoepolicy.policy.settings.ConfiguredPolicyFamily;

/** Builds the {@link IpAccessPolicy} from {@code spoe.policies.ip-access.*}. */
public final class IpAccessFamily extends ConfiguredPolicyFamily<IpAccessProperties> {

    public IpAccessFamily() {
        super(IpAccessPolicy.NAME, IpAccessPolicy.PREFIX, IpAccessProperties.class);
    }

    @Override
    protected SpoePolicy buildFor(IpAccessProperties properties) {
        return new IpAccessPolicy(properties);
    }

    @Override
    public List<Path> watchedFiles(SpoePolicy built) {
        return built instanceof IpAccessPolicy policy ? policy.files() : List.of();
    }
}
