package io.spoepolicy.policy.auth;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import io.spoepolicy.policy.settings.ConfiguredPolicyFamily;
import io.spoepolicy.policy.settings.ScopeBinding;

/**
 * JWT bearer-token authentication ({@code spoe.policies.jwt.*}).
 *
 * @param enabled whether the policy runs
 * @param issuer required {@code iss}; unset accepts any issuer
 * @param audiences accepted audiences: {@code aud} must contain one; empty accepts any
 * @param algorithms accepted JWS algorithms ({@code RS256}, {@code ES256}, {@code PS256},
 *        {@code HS256} …); {@code none} is never accepted
 * @param clockSkew tolerance on {@code exp} and {@code nbf}
 * @param header request header carrying the token; for {@code authorization} the
 *        {@code Bearer} scheme is required
 * @param jwkSetUri the identity provider's JWKS endpoint (fetched without blocking, cached,
 *        refreshed on an unknown {@code kid}); only asymmetric keys are taken from it
 * @param jwkSetFile a JWK set file (may hold {@code oct} keys for HS256)
 * @param jwkSet a JWK set given inline as JSON
 * @param jwks caching and timing of the JWKS endpoint
 * @param realm realm of the {@code WWW-Authenticate} challenge
 * @param unavailableStatus status when a token's key is not cached and the JWKS endpoint cannot
 *        be reached (Service Unavailable by default: re-authenticating would not help)
 * @param requiredScopes scopes ({@code scope} or {@code scp} claim) the token must all have
 * @param requiredClaims claims the token must carry with these values
 * @param allowAnonymous let requests without a token through (an invalid token is still rejected)
 * @param claimVariables more claims returned as variables: claim name → variable name ({@code sub}
 *        is always returned as {@code user})
 * @param scopes other requirements for some hosts or paths; unset fields keep the top-level value
 * @param cache the verified-token cache
 */
@Validated
@ConfigurationProperties("spoe.policies.jwt")
public record JwtProperties(
        @DefaultValue("false") boolean enabled,
        String issuer,
        @DefaultValue List<String> audiences,
        @DefaultValue("RS256") @NotEmpty List<String> algorithms,
        @DefaultValue("30s") @NotNull Duration clockSkew,
        @DefaultValue("authorization") @NotBlank String header,
        String jwkSetUri,
        String jwkSetFile,
        String jwkSet,
        @DefaultValue @Valid Jwks jwks,
        @DefaultValue("spoe") @NotBlank String realm,
        @DefaultValue("503") @Min(100) @Max(599) int unavailableStatus,
        @DefaultValue List<String> requiredScopes,
        @DefaultValue Map<String, String> requiredClaims,
        @DefaultValue("false") boolean allowAnonymous,
        @DefaultValue Map<String, String> claimVariables,
        @DefaultValue List<@Valid @NotNull Scope> scopes,
        @DefaultValue @Valid Cache cache) implements ConfiguredPolicyFamily.Switchable {

    @AssertTrue(message = "set spoe.policies.jwt.jwk-set-uri, jwk-set-file or jwk-set: no key to verify tokens with")
    public boolean isKeySourceSet() {
        return !enabled || notBlank(jwkSetUri) || notBlank(jwkSetFile) || notBlank(jwkSet);
    }

    private static boolean notBlank(String value) {
        return value != null && !value.isBlank();
    }

    /**
     * @param refreshInterval keys older than this are refreshed in the background while still used
     * @param minRefreshInterval at most one refresh triggered by unknown {@code kid}s per interval,
     *        so tokens with random key ids cannot flood the identity provider
     * @param timeout time budget of one fetch (Resilience4j time limiter {@code jwks}); a fetch
     *        keeps running when the request that started it stops waiting, so its keys are cached
     *        for the next requests
     * @param maxWait how long a request waits for a fetch of an unknown key before it is answered
     *        with {@code unavailable-status}; keep it below {@code spoe.policies.deadline}
     */
    public record Jwks(
            @DefaultValue("5m") @NotNull Duration refreshInterval,
            @DefaultValue("10s") @NotNull Duration minRefreshInterval,
            @DefaultValue("5s") @NotNull Duration timeout,
            @DefaultValue("250ms") @NotNull Duration maxWait) {
    }

    /**
     * @param name label for logs
     * @param hosts host patterns
     * @param paths path prefixes
     */
    public record Scope(String name, List<String> hosts, List<String> paths, List<String> requiredScopes,
            Map<String, String> requiredClaims, Boolean allowAnonymous) implements ScopeBinding.Entry {
    }

    /**
     * Tokens whose signature and claims passed are kept, keyed by the whole token, so the same
     * token sent again skips the signature check; {@code exp} and {@code nbf} are checked on every
     * use, and an entry leaves when its token expires or its key is no longer published.
     *
     * @param maxEntries tokens kept at most (least recently used leave first); 0 turns the cache off
     */
    public record Cache(@DefaultValue("10000") @Min(0) @Max(10_000_000) int maxEntries) {
    }
}
