package io.spoepolicy.policy.auth;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import io.spoepolicy.policy.SpoePolicy;
import io.spoepolicy.policy.settings.PolicyBinder;
import io.spoepolicy.policy.settings.PolicyFamily;

/** Builds the {@link ApiKeyPolicy} from {@code spoe.policies.api-key.*}. */
public final class ApiKeyFamily implements PolicyFamily {

    @Override
    public String name() {
        return ApiKeyPolicy.NAME;
    }

    @Override
    public Optional<SpoePolicy> build(PolicyBinder binder) {
        ApiKeyProperties properties = binder.bind(ApiKeyPolicy.PREFIX, ApiKeyProperties.class);
        return properties.enabled() ? Optional.of(new ApiKeyPolicy(properties)) : Optional.empty();
    }

    @Override
    public List<Path> watchedFiles(SpoePolicy built) {
        return built instanceof ApiKeyPolicy policy ? policy.directories() : List.of();
    }
}
