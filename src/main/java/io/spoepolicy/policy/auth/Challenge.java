package io.spoepolicy.policy.auth;

import java.util.Collection;

import io.spoepolicy.policy.Decision;
import io.spoepolicy.policy.DecisionContract;

/**
 * Builds deny decisions of the authentication policies with a ready-made
 * {@code WWW-Authenticate} value (RFC 6750 for bearer tokens), which HAProxy copies into the 401
 * or 403 response. Every part of the value comes from configuration validated by
 * {@link #checkToken} or from fixed reason codes, never from the request.
 */
final class Challenge {

    private Challenge() {
    }

    /** What the authentication policies set: identity, scopes, the challenge. */
    static final java.util.Set<String> VARIABLES = java.util.Set.of(DecisionContract.USER, DecisionContract.SCOPES,
            DecisionContract.WWW_AUTHENTICATE);

    /** 401 without an error code: no credentials were presented (RFC 6750 §3.1). */
    static Decision missing(String scheme, String realm, String reason) {
        return Decision.deny(401, reason)
                .withVariable(DecisionContract.WWW_AUTHENTICATE, scheme + " realm=\"" + realm + "\"");
    }

    /** 401 for credentials that were presented and are not valid. */
    static Decision invalid(String scheme, String realm, String reason) {
        return Decision.deny(401, reason).withVariable(DecisionContract.WWW_AUTHENTICATE,
                scheme + " realm=\"" + realm + "\", error=\"invalid_token\", error_description=\"" + reason + "\"");
    }

    /** 403 for valid credentials that lack a scope or claim. */
    static Decision insufficient(String scheme, String realm, String reason, Collection<String> scopes) {
        String value = scheme + " realm=\"" + realm + "\", error=\"insufficient_scope\"";
        if (!scopes.isEmpty()) {
            value += ", scope=\"" + String.join(" ", scopes) + "\"";
        }
        return Decision.deny(403, reason).withVariable(DecisionContract.WWW_AUTHENTICATE, value);
    }

    /**
     * Whether a realm or scope name can go inside a quoted {@code WWW-Authenticate} parameter
     * (RFC 6750 scope-token characters: printable ASCII without space, {@code "} and {@code \}).
     */
    static boolean checkToken(String value) {
        if (value == null || value.isEmpty()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7e || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /** Whether a value from a token may be forwarded in an HTTP header: no control characters. */
    static boolean headerSafe(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7f) {
                return false;
            }
        }
        return true;
    }
}
