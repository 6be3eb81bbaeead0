package io.spoepolicy.policy.auth;

import java.time.Clock;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.github.benmanes.caffeine.cache.stats.StatsCounter;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import reactor.core.publisher.Mono;

import io.spoepolicy.policy.Decision;
import io.spoepolicy.policy.DescribedPolicy;
import io.spoepolicy.policy.PolicyRequest;
import io.spoepolicy.policy.SpoePolicy;
import io.spoepolicy.policy.scope.ScopeSelector;
import io.spoepolicy.policy.settings.PolicyConfigurationException;
import io.spoepolicy.policy.settings.ScopeBinding;

/**
 * Authenticates JWT bearer tokens. A valid token's subject becomes the {@code user} variable, its
 * scopes the {@code scopes} variable, and configured claims their own variables, so HAProxy can
 * forward them to the backend. A missing or invalid token is a 401 with a {@code WWW-Authenticate}
 * value; a valid token without a required scope or claim is a 403. Keys come from the identity
 * provider's JWKS endpoint (never fetched on the caller's thread: the client is non-blocking) and/or
 * from configuration. When a token's key is not cached and the endpoint is unreachable, the answer is
 * a deny with {@code spoe.policies.jwt.unavailable-status} (503) and reason {@code jwks-unavailable}.
 */
public final class JwtPolicy implements SpoePolicy, DescribedPolicy {

    public static final String NAME = "jwt";
    static final String PREFIX = "spoe.policies.jwt";
    private static final String SCHEME = "Bearer";
    private static final String VARIABLE_NAME = "[A-Za-z0-9_.]+";

    private final JwtProperties properties;
    private final TokenVerifier verifier;
    private final StaticJwkSource staticKeys;
    private final RemoteJwkSource remoteKeys;
    private final ScopeSelector<AuthRules> rules;
    private final Map<String, String> claimVariables;
    /** {@code null} when {@code cache.max-entries} is 0. */
    private final VerifiedTokenCache cache;

    /**
     * @param staticKeys keys from configuration, possibly empty
     * @param remoteKeys the JWKS endpoint, or {@code null}
     * @throws PolicyConfigurationException naming the property at fault
     */
    JwtPolicy(JwtProperties properties, StaticJwkSource staticKeys, RemoteJwkSource remoteKeys, Clock clock) {
        this(properties, staticKeys, remoteKeys, clock, StatsCounter.disabledStatsCounter());
    }

    /** @param tokenCacheStats where the verified-token cache counts its lookups and evictions */
    JwtPolicy(JwtProperties properties, StaticJwkSource staticKeys, RemoteJwkSource remoteKeys, Clock clock,
            StatsCounter tokenCacheStats) {
        this.properties = properties;
        this.staticKeys = staticKeys;
        this.remoteKeys = remoteKeys;
        if (!Challenge.checkToken(properties.realm())) {
            throw new PolicyConfigurationException(PREFIX + ".realm", "must be printable ASCII without space or quotes");
        }
        this.verifier = new TokenVerifier(algorithms(properties.algorithms()), properties.issuer(),
                properties.audiences(), properties.clockSkew(), clock);
        this.cache = properties.cache().maxEntries() == 0 ? null
                : new VerifiedTokenCache(properties.cache().maxEntries(), clock, properties.clockSkew(), tokenCacheStats);
        this.claimVariables = new LinkedHashMap<>();
        properties.claimVariables().forEach((claim, variable) -> {
            if (!variable.matches(VARIABLE_NAME)) {
                throw new PolicyConfigurationException(PREFIX + ".claim-variables." + claim,
                        "'" + variable + "' is not an HAProxy variable name (letters, digits, '_' and '.')");
            }
            claimVariables.put(claim, variable);
        });
        AuthRules top = AuthRules.of(PREFIX, properties.requiredScopes(), properties.requiredClaims(),
                properties.allowAnonymous());
        this.rules = ScopeBinding.select(PREFIX, top, properties.scopes(), (prefix, i, scope, where) -> AuthRules.of(
                prefix, scope.requiredScopes() != null ? scope.requiredScopes() : properties.requiredScopes(),
                scope.requiredClaims() != null ? scope.requiredClaims() : properties.requiredClaims(),
                scope.allowAnonymous() != null ? scope.allowAnonymous() : properties.allowAnonymous()));
    }

    private static Set<JWSAlgorithm> algorithms(List<String> names) {
        Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
        for (int i = 0; i < names.size(); i++) {
            JWSAlgorithm algorithm = JWSAlgorithm.parse(names.get(i).trim().toUpperCase(Locale.ROOT));
            if (!TokenVerifier.SUPPORTED.contains(algorithm)) {
                throw new PolicyConfigurationException(PREFIX + ".algorithms[" + i + "]", "'" + names.get(i)
                        + "' is not a supported JWS algorithm (HS/RS/PS/ES 256, 384, 512)");
            }
            algorithms.add(algorithm);
        }
        return algorithms;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> variables() {
        Set<String> names = new LinkedHashSet<>(Challenge.VARIABLES);
        names.addAll(claimVariables.values());
        return Set.copyOf(names);
    }

    /**
     * Synthetic requests carry no token, so they never reach the JWKS endpoint; they do run the
     * challenge path.
     */
    @Override
    public boolean warmsUp() {
        return true;
    }

    @Override
    public Mono<Decision> evaluate(PolicyRequest request) {
        AuthRules required = rules.select(request);
        String token = token(request.headers().first(properties.header()));
        if (token == null) {
            return Mono.just(required.allowAnonymous() ? Decision.allow()
                    : Challenge.missing(SCHEME, properties.realm(), "token-missing"));
        }
        if (cache != null) {
            Decision cached = fromCache(token, required, request);
            if (cached != null) {
                return Mono.just(cached);
            }
        }
        SignedJWT jwt;
        try {
            jwt = verifier.parse(token);
        }
        catch (TokenRejectedException ex) {
            return Mono.just(Challenge.invalid(SCHEME, properties.realm(), ex.reason()));
        }
        List<VerificationKey> configured = staticKeys.select(jwt.getHeader());
        if (!configured.isEmpty() || remoteKeys == null) {
            return Mono.just(decide(token, jwt, configured, false, null, required, request));
        }
        // Read before the keys: if the set changes in between, the next hit looks for the key again.
        RemoteJwkSource.Snapshot keySet = remoteKeys.current();
        return remoteKeys.keys(jwt.getHeader())
                .map(keys -> decide(token, jwt, keys, true, keySet, required, request))
                .onErrorResume(JwksUnavailableException.class,
                        ex -> Mono.just(Decision.deny(properties.unavailableStatus(), "jwks-unavailable")));
    }

    /**
     * The decision for a token verified before, or {@code null} when it must be verified (not
     * cached, or its key is no longer published). The time claims are checked against the clock
     * now; issuer and audience were checked when it was cached, against this policy's settings.
     */
    private Decision fromCache(String token, AuthRules required, PolicyRequest request) {
        VerifiedToken verified = cache.get(token);
        if (verified == null) {
            return null;
        }
        if (verified.remote()) {
            RemoteJwkSource.Snapshot current = remoteKeys.current();
            if (current != verified.keySet()) {
                if (!current.keys().contains(verified.key())) {
                    // Dropped or replaced by the provider: verify again against what it publishes now.
                    cache.invalidate(token);
                    return null;
                }
                cache.put(token, verified.seenIn(current));
            }
        }
        try {
            verifier.checkTimes(verified.expires(), verified.notBefore());
        }
        catch (TokenRejectedException ex) {
            if ("token-expired".equals(ex.reason())) {
                cache.invalidate(token);
            }
            return Challenge.invalid(SCHEME, properties.realm(), ex.reason());
        }
        return authorize(verified.claims(), verified.grant(), required, request);
    }

    private Decision decide(String token, SignedJWT jwt, List<VerificationKey> keys, boolean remote,
            RemoteJwkSource.Snapshot keySet, AuthRules required, PolicyRequest request) {
        TokenVerifier.Verified verified;
        try {
            verified = verifier.verify(jwt, keys);
        }
        catch (TokenRejectedException ex) {
            return Challenge.invalid(SCHEME, properties.realm(), ex.reason());
        }
        JWTClaimsSet claims = verified.claims();
        TokenGrant grant = TokenGrant.of(claims, claimVariables);
        if (cache != null) {
            Date notBefore = claims.getNotBeforeTime();
            cache.put(token, new VerifiedToken(claims, grant, claims.getExpirationTime().getTime(),
                    notBefore == null ? Long.MIN_VALUE : notBefore.getTime(), verified.key(), remote, keySet));
        }
        return authorize(claims, grant, required, request);
    }

    /** The request-dependent part: the scope's required scopes and claims. */
    private Decision authorize(JWTClaimsSet claims, TokenGrant grant, AuthRules required, PolicyRequest request) {
        if (grant == null) {
            return Challenge.invalid(SCHEME, properties.realm(), "token-invalid-claims");
        }
        List<String> missing = required.missingScopes(grant.scopes());
        if (!missing.isEmpty()) {
            return Challenge.insufficient(SCHEME, properties.realm(), "insufficient-scope", missing);
        }
        for (Map.Entry<String, String> claim : required.requiredClaims().entrySet()) {
            if (!hasValue(claims.getClaim(claim.getKey()), claim.getValue())) {
                return Challenge.insufficient(SCHEME, properties.realm(), "claim-mismatch", List.of());
            }
        }
        if (grant.principal() != null) {
            grant.principal().attachTo(request);
        }
        return grant.allowed();
    }

    /** The token from the header: after {@code Bearer } for Authorization, else the whole value. */
    private String token(String header) {
        if (header == null) {
            return null;
        }
        String value = header.trim();
        if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            value = value.substring(7).trim();
        }
        else if (properties.header().equalsIgnoreCase("authorization")) {
            return null;
        }
        return value.isEmpty() ? null : value;
    }

    private static boolean hasValue(Object claim, String expected) {
        if (claim instanceof Collection<?> list) {
            return list.stream().anyMatch(item -> expected.equals(String.valueOf(item)));
        }
        return claim != null && expected.equals(String.valueOf(claim));
    }

    /** Counts and public settings only: no keys, no endpoint URL (it may carry credentials). */
    @Override
    public Map<String, Object> describe() {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("issuer", properties.issuer() == null ? "" : properties.issuer());
        summary.put("audiences", properties.audiences());
        summary.put("algorithms", properties.algorithms());
        summary.put("jwksEndpoint", remoteKeys != null);
        summary.put("staticKeys", staticKeys.size());
        summary.put("requiredScopes", properties.requiredScopes());
        summary.put("scopes", properties.scopes().size());
        summary.put("allowAnonymous", properties.allowAnonymous());
        summary.put("verifiedTokenCache", properties.cache().maxEntries());
        return summary;
    }

    /**
     * The JWKS endpoint's state for health reporting, or {@code null} without an endpoint.
     *
     * @param reachable whether the last fetch succeeded (true until one failed)
     * @param cachedKeys keys cached now
     * @param fetches fetches started
     * @param failures fetches failed
     */
    public record JwksHealth(boolean reachable, int cachedKeys, long fetches, long failures) {
    }

    public JwksHealth jwksHealth() {
        return remoteKeys == null ? null : new JwksHealth(!remoteKeys.lastFetchFailed(), remoteKeys.cachedKeys(),
                remoteKeys.fetches(), remoteKeys.failures());
    }

    /** Tokens in the verified-token cache (0 when it is off). */
    public long cachedTokens() {
        return cache == null ? 0 : cache.size();
    }

    /**
     * Key lookups in the JWKS endpoint's key cache (a token's {@code kid} found among the cached
     * keys, or not), or {@code null} without an endpoint. Tokens served from the verified-token
     * cache look up no key. No evictions: a fetch replaces the whole set. The counts belong to the
     * endpoint's source, which reloads keep while the endpoint's URI and timing stay the same.
     */
    public CacheCounts jwksCounts() {
        return remoteKeys == null ? null : new CacheCounts(remoteKeys.keyHits(), remoteKeys.keyMisses(), 0);
    }

    /** The JWKS endpoint source, or {@code null}. */
    RemoteJwkSource remoteKeys() {
        return remoteKeys;
    }

    /** The key file, for change detection, or {@code null}. */
    String jwkSetFile() {
        return properties.jwkSetFile();
    }
}
