package io.spoepolicy.policy.auth;

import java.util.Set;

import io.spoepolicy.policy.PolicyRequest;

/**
 * Who an authentication policy recognised, attached to the request for the policies that follow
 * (a rate limit keyed on the subject, for instance).
 *
 * @param subject the JWT {@code sub} or the API key's id
 * @param scopes the granted scopes
 * @param method {@code jwt} or {@code api-key}
 */
public record AuthenticatedPrincipal(String subject, Set<String> scopes, String method) {

    public static final String ATTRIBUTE = AuthenticatedPrincipal.class.getName();

    public AuthenticatedPrincipal {
        scopes = Set.copyOf(scopes);
    }

    /** The principal an earlier policy of the chain attached, or {@code null}. */
    public static AuthenticatedPrincipal of(PolicyRequest request) {
        return request.attribute(ATTRIBUTE, AuthenticatedPrincipal.class);
    }

    void attachTo(PolicyRequest request) {
        request.attribute(ATTRIBUTE, this);
    }
}
