package io.spoepolicy.policy.auth;

import java.security.Key;
import java.util.ArrayList;
import java.util.List;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;

/**
 * A JWK with its Java key, converted once when the set is loaded rather than per token.
 *
 * @param jwk the key as published
 * @param key the public (or, for {@code oct}, secret) key
 */
record VerificationKey(JWK jwk, Key key) {

    /**
     * The usable signature-verification keys of a set; keys of other types or uses are skipped.
     *
     * @param allowSecret whether {@code oct} (HMAC) keys are accepted: never from a remote endpoint
     */
    static List<VerificationKey> of(JWKSet set, boolean allowSecret) throws JOSEException {
        List<VerificationKey> keys = new ArrayList<>();
        for (JWK jwk : set.getKeys()) {
            if (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse())) {
                continue;
            }
            if (jwk instanceof RSAKey rsa) {
                keys.add(new VerificationKey(jwk, rsa.toRSAPublicKey()));
            }
            else if (jwk instanceof ECKey ec) {
                keys.add(new VerificationKey(jwk, ec.toECPublicKey()));
            }
            else if (jwk instanceof OctetSequenceKey oct && allowSecret) {
                keys.add(new VerificationKey(jwk, oct.toSecretKey()));
            }
        }
        return List.copyOf(keys);
    }

    /** The keys that may have signed a token with this header (key type, curve, kid, use, alg). */
    static List<VerificationKey> select(List<VerificationKey> keys, JWSHeader header) {
        JWKMatcher matcher = JWKMatcher.forJWSHeader(header);
        if (matcher == null) {
            return List.of();
        }
        List<VerificationKey> selected = new ArrayList<>(1);
        for (VerificationKey key : keys) {
            if (matcher.matches(key.jwk())) {
                selected.add(key);
            }
        }
        return selected;
    }
}
