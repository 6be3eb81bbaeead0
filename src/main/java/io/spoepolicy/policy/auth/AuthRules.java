package io.spoepolicy.policy.auth;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.spoepolicy.policy.settings.PolicyConfigurationException;

/**
 * What an authentication policy requires in one scope.
 *
 * @param requiredScopes scopes the identity must all have
 * @param requiredClaims claims the token must carry with these values (JWT only); a list claim
 *        must contain the value
 * @param allowAnonymous let requests without credentials through (invalid credentials are still
 *        rejected)
 */
record AuthRules(Set<String> requiredScopes, Map<String, String> requiredClaims, boolean allowAnonymous) {

    AuthRules {
        requiredScopes = Set.copyOf(requiredScopes);
        requiredClaims = Map.copyOf(requiredClaims);
    }

    static AuthRules of(String prefix, List<String> scopes, Map<String, String> claims, boolean anonymous) {
        for (int i = 0; i < scopes.size(); i++) {
            if (!Challenge.checkToken(scopes.get(i))) {
                throw new PolicyConfigurationException(prefix + ".required-scopes[" + i + "]",
                        "'" + scopes.get(i) + "' is not a scope name (printable ASCII, no space, quote or backslash)");
            }
        }
        return new AuthRules(Set.copyOf(scopes), claims, anonymous);
    }

    /** Required scopes the granted ones lack, sorted; empty when all are granted. */
    List<String> missingScopes(Set<String> granted) {
        return requiredScopes.stream().filter(scope -> !granted.contains(scope)).sorted().toList();
    }
}
