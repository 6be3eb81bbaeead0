package io.spoepolicy.policy.auth;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jwt.JWTClaimsSet;

import io.spoepolicy.policy.Decision;
import io.spoepolicy.policy.DecisionContract;

/**
 * What a verified token grants, independent of the request: its scopes, the principal for the
 * next policies and the allow decision with its variables. Built once per token and kept with it
 * in the verified-token cache, so a cache hit builds no decision.
 *
 * @param scopes granted scopes ({@code scope} string or {@code scp} list)
 * @param principal {@code null} without a subject
 * @param allowed the allow decision with {@code user}, {@code scopes} and the claim variables
 */
record TokenGrant(Set<String> scopes, AuthenticatedPrincipal principal, Decision allowed) {

    /**
     * @param claimVariables claim name → variable name
     * @return {@code null} when the subject cannot be forwarded in a header
     */
    static TokenGrant of(JWTClaimsSet claims, Map<String, String> claimVariables) {
        String subject = claims.getSubject();
        if (subject != null && !Challenge.headerSafe(subject)) {
            return null;
        }
        Set<String> granted = scopes(claims);
        Decision allowed = Decision.allow();
        if (subject != null) {
            allowed = allowed.withVariable(DecisionContract.USER, subject);
        }
        if (!granted.isEmpty()) {
            allowed = allowed.withVariable(DecisionContract.SCOPES, String.join(" ", granted));
        }
        for (Map.Entry<String, String> variable : claimVariables.entrySet()) {
            Object value = claims.getClaim(variable.getKey());
            if (value instanceof String || value instanceof Number || value instanceof Boolean) {
                String text = value.toString();
                if (Challenge.headerSafe(text)) {
                    allowed = allowed.withVariable(variable.getValue(), text);
                }
            }
        }
        return new TokenGrant(Collections.unmodifiableSet(granted), subject == null ? null : new AuthenticatedPrincipal(subject, granted, JwtPolicy.NAME),
                allowed);
    }

    private static Set<String> scopes(JWTClaimsSet claims) {
        Set<String> scopes = new LinkedHashSet<>();
        Object scope = claims.getClaim("scope");
        Object scp = claims.getClaim("scp");
        for (Object claim : new Object[] {scope, scp}) {
            if (claim instanceof String text) {
                for (String part : text.trim().split("\\s+")) {
                    if (!part.isEmpty()) {
                        scopes.add(part);
                    }
                }
            }
            else if (claim instanceof Collection<?> list) {
                list.forEach(item -> scopes.add(String.valueOf(item)));
            }
        }
        return scopes;
    }
}
