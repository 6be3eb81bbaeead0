package io.spoepolicy.policy.auth;

import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.spoepolicy.policy.Decision;
import io.spoepolicy.policy.DecisionContract;
import io.spoepolicy.policy.DescribedPolicy;
import io.spoepolicy.policy.PolicyRequest;
import io.spoepolicy.policy.SyncSpoePolicy;
import io.spoepolicy.policy.scope.ScopeSelector;
import io.spoepolicy.policy.settings.PolicyConfigurationException;
import io.spoepolicy.policy.settings.ScopeBinding;

/**
 * Authenticates by API key in a request header. On success the key's id becomes the {@code user}
 * variable and its scopes the {@code scopes} variable; a missing or unknown key is a 401 and a key
 * without a required scope a 403. Hashing one value and comparing a few digests takes
 * microseconds, so the policy runs inline.
 */
public final class ApiKeyPolicy implements SyncSpoePolicy, DescribedPolicy {

    public static final String NAME = "api-key";
    static final String PREFIX = "spoe.policies.api-key";
    private static final String SCHEME = "ApiKey";

    private final ApiKeyProperties properties;
    private final ApiKeyStore store;
    private final ScopeSelector<AuthRules> rules;
    /** Per stored key, built once: the principal and the allow decision with its variables. */
    private final Map<ApiKeyStore.StoredKey, Grant> grants = new IdentityHashMap<>();

    private record Grant(AuthenticatedPrincipal principal, Decision allowed) {
    }

    /** @throws PolicyConfigurationException naming the property of a bad entry or unreadable directory */
    public ApiKeyPolicy(ApiKeyProperties properties) {
        this.properties = properties;
        if (!Challenge.checkToken(properties.realm())) {
            throw new PolicyConfigurationException(PREFIX + ".realm", "must be printable ASCII without space or quotes");
        }
        this.store = ApiKeyStore.load(PREFIX, properties);
        for (ApiKeyStore.StoredKey key : store.keys()) {
            Decision allowed = Decision.allow().withVariable(DecisionContract.USER, key.id());
            if (!key.scopes().isEmpty()) {
                allowed = allowed.withVariable(DecisionContract.SCOPES,
                        String.join(" ", key.scopes().stream().sorted().toList()));
            }
            grants.put(key, new Grant(new AuthenticatedPrincipal(key.id(), key.scopes(), NAME), allowed));
        }
        AuthRules top = AuthRules.of(PREFIX, properties.requiredScopes(), Map.of(), properties.allowAnonymous());
        this.rules = ScopeBinding.select(PREFIX, top, properties.scopes(), (prefix, i, scope, where) -> AuthRules.of(
                prefix, scope.requiredScopes() != null ? scope.requiredScopes() : properties.requiredScopes(), Map.of(),
                scope.allowAnonymous() != null ? scope.allowAnonymous() : properties.allowAnonymous()));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean inline() {
        return true;
    }

    @Override
    public java.util.Set<String> variables() {
        return Challenge.VARIABLES;
    }

    /** A lookup in memory: no side effect. */
    @Override
    public boolean warmsUp() {
        return true;
    }

    @Override
    public Decision decide(PolicyRequest request) {
        AuthRules required = rules.select(request);
        String presented = request.headers().first(properties.header());
        if (presented == null || presented.isBlank()) {
            return required.allowAnonymous() ? Decision.allow()
                    : Challenge.missing(SCHEME, properties.realm(), "api-key-missing");
        }
        ApiKeyStore.StoredKey key = store.find(presented.trim());
        if (key == null) {
            return Challenge.invalid(SCHEME, properties.realm(), "api-key-invalid");
        }
        List<String> missing = required.missingScopes(key.scopes());
        if (!missing.isEmpty()) {
            return Challenge.insufficient(SCHEME, properties.realm(), "insufficient-scope", missing)
                    .withVariable(DecisionContract.USER, key.id());
        }
        Grant grant = grants.get(key);
        grant.principal().attachTo(request);
        return grant.allowed();
    }

    /** Counts only: never keys or their hashes. */
    @Override
    public Map<String, Object> describe() {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("header", properties.header());
        summary.put("keys", store.size());
        summary.put("keyDirectories", properties.keyDirectories().size());
        summary.put("requiredScopes", properties.requiredScopes());
        summary.put("scopes", properties.scopes().size());
        summary.put("allowAnonymous", properties.allowAnonymous());
        return summary;
    }

    /** The key directories, for change detection. */
    public List<Path> directories() {
        return properties.keyDirectories().stream().map(Path::of).toList();
    }

    int keyCount() {
        return store.size();
    }
}
