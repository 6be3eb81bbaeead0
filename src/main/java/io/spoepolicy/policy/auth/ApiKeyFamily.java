package io.spoepolicy.policy.auth;

import java.nio.file.Path;
import java.util.List;

import io.spoepolicy.policy.SpoePolicy;
import io.spoepolicy.policy.settings.ConfiguredPolicyFamily;

/** Builds the {@link ApiKeyPolicy} from {@code spoe.policies.api-key.*}. */
public final class ApiKeyFamily extends ConfiguredPolicyFamily<ApiKeyProperties> {

    public ApiKeyFamily() {
        super(ApiKeyPolicy.NAME, ApiKeyPolicy.PREFIX, ApiKeyProperties.class);
    }

    @Override
    protected SpoePolicy buildFor(ApiKeyProperties properties) {
        return new ApiKeyPolicy(properties);
    }

    @Override
    public List<Path> watchedFiles(SpoePolicy built) {
        return built instanceof ApiKeyPolicy policy ? policy.directories() : List.of();
    }
}
