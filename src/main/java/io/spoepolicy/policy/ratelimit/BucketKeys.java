package io.spoepolicy.policy.ratelimit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import io.spoepolicy.policy.PolicyRequest;
import io.spoepolicy.policy.auth.AuthenticatedPrincipal;
import io.spoepolicy.policy.scope.RequestTarget;

/**
 * Builds the bucket key of a request: {@code <rule>:<kind>:<value>}. Values a client controls
 * (headers) or that can be long are hashed above 64 characters, so keys stay small in memory and
 * in Redis. A missing header or subject falls back to the client address: an anonymous client is
 * still limited.
 */
final class BucketKeys {

    private static final int MAX_PLAIN = 64;

    private BucketKeys() {
    }

    static String of(LimitRule rule, PolicyRequest request) {
        return switch (rule.key()) {
            case IP -> ip(rule, request);
            case HEADER -> {
                String value = request.headers().first(rule.header());
                yield value == null || value.isEmpty() ? ip(rule, request) : rule.name() + ":h:" + compact(value);
            }
            case SUBJECT -> {
                AuthenticatedPrincipal principal = AuthenticatedPrincipal.of(request);
                yield principal == null ? ip(rule, request) : rule.name() + ":s:" + compact(principal.subject());
            }
            case PATH -> rule.name() + ":p:" + compact(rule.scope().matchedPath(RequestTarget.of(request)));
        };
    }

    private static String ip(LimitRule rule, PolicyRequest request) {
        var address = request.clientIp();
        return rule.name() + ":ip:" + (address == null ? "unknown" : address.getHostAddress());
    }

    static String compact(String value) {
        if (value.length() <= MAX_PLAIN) {
            return value;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return "#" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
