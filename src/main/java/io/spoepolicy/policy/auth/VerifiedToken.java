package io.spoepolicy.policy.auth;

import com.nimbusds.jwt.JWTClaimsSet;

/**
 * A token whose signature and claims passed once, with what the policy derived from it, so a
 * client that sends the same token again costs a lookup instead of a signature check.
 *
 * @param claims the verified claims (required claims depend on the request's scope: checked per use)
 * @param grant what a successful authentication returns, derived once
 * @param expires {@code exp}, epoch milliseconds
 * @param notBefore {@code nbf} (epoch milliseconds) or {@link Long#MIN_VALUE}
 * @param key the key that verified the signature
 * @param remote whether the key came from the JWKS endpoint (static keys last as long as the policy)
 * @param keySet the endpoint's key set the key was last seen in; another set (after a refresh)
 *        means the key must be looked for again, {@code null} that it has not been looked for yet
 */
record VerifiedToken(JWTClaimsSet claims, TokenGrant grant, long expires, long notBefore,
        VerificationKey key, boolean remote, RemoteJwkSource.Snapshot keySet) {

    VerifiedToken seenIn(RemoteJwkSource.Snapshot current) {
        return new VerifiedToken(claims, grant, expires, notBefore, key, remote, current);
    }
}
