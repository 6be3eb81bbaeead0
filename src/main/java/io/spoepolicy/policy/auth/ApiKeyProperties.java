package io.spoepolicy.policy.auth;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import io.spoepolicy.policy.settings.ConfiguredPolicyFamily;
import io.spoepolicy.policy.settings.ScopeBinding;

/**
 * API-key authentication ({@code spoe.policies.api-key.*}). Keys are kept only as SHA-256 hashes
 * and compared in constant time.
 *
 * @param enabled whether the policy runs
 * @param header request header carrying the key
 * @param keys keys from configuration, each with a hash ({@code sha256}) or, e.g. from an
 *        environment variable, the key itself ({@code value}, hashed at load and not kept)
 * @param keyDirectories directories of a mounted secret: every regular file is one key, its name
 *        the key id, its content the key (hidden entries such as Kubernetes' {@code ..data} are
 *        skipped)
 * @param realm realm of the {@code WWW-Authenticate} challenge
 * @param requiredScopes scopes the key must have
 * @param allowAnonymous let requests without a key through (a wrong key is still rejected)
 * @param scopes other requirements for some hosts or paths; unset fields keep the top-level value
 */
@Validated
@ConfigurationProperties("spoe.policies.api-key")
public record ApiKeyProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("x-api-key") @NotBlank String header,
        @DefaultValue List<@Valid @NotNull Key> keys,
        @DefaultValue List<String> keyDirectories,
        @DefaultValue("spoe") @NotBlank String realm,
        @DefaultValue List<String> requiredScopes,
        @DefaultValue("false") boolean allowAnonymous,
        @DefaultValue List<@Valid @NotNull Scope> scopes) implements ConfiguredPolicyFamily.Switchable {

    /**
     * @param id the key's identity, returned as the {@code user} variable
     * @param sha256 hex SHA-256 of the key
     * @param value the key itself; prefer {@code sha256} in files
     * @param scopes scopes granted to the key
     */
    public record Key(@NotBlank String id, String sha256, String value, @DefaultValue List<String> scopes) {

        @AssertTrue(message = "set exactly one of sha256 (64 hex digits) or value")
        public boolean isHashOrValue() {
            if (sha256 != null) {
                return value == null && sha256.trim().matches("(?i)[0-9a-f]{64}");
            }
            return value != null && !value.isEmpty();
        }
    }

    /**
     * @param name label for logs
     * @param hosts host patterns
     * @param paths path prefixes
     */
    public record Scope(String name, List<String> hosts, List<String> paths, List<String> requiredScopes,
            Boolean allowAnonymous) implements ScopeBinding.Entry {
    }
}
