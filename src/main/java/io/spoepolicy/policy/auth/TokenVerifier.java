package io.spoepolicy.policy.auth;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Checks a signed JWT step by step, so each failure has its own reason code: structure, algorithm
 * allow-list, signature against the candidate keys, then {@code exp} (required), {@code nbf},
 * {@code iss} and {@code aud}. Signature checks are CPU-only (tens of microseconds for RS256).
 */
final class TokenVerifier {

    /** JWS algorithms that can be configured; {@code none} is not one of them. */
    static final Set<JWSAlgorithm> SUPPORTED = Set.of(JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512,
            JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384,
            JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);

    private final Set<JWSAlgorithm> algorithms;
    private final String issuer;
    private final Set<String> audiences;
    private final long skewMillis;
    private final Clock clock;
    private final DefaultJWSVerifierFactory verifiers = new DefaultJWSVerifierFactory();

    TokenVerifier(Set<JWSAlgorithm> algorithms, String issuer, List<String> audiences, Duration clockSkew, Clock clock) {
        this.algorithms = Set.copyOf(algorithms);
        this.issuer = issuer == null || issuer.isBlank() ? null : issuer;
        this.audiences = Set.copyOf(new LinkedHashSet<>(audiences));
        this.skewMillis = clockSkew.toMillis();
        this.clock = clock;
    }

    SignedJWT parse(String token) throws TokenRejectedException {
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        }
        catch (ParseException ex) {
            throw new TokenRejectedException("token-malformed");
        }
        if (!algorithms.contains(jwt.getHeader().getAlgorithm())) {
            throw new TokenRejectedException("token-algorithm-not-allowed");
        }
        return jwt;
    }

    /**
     * The token's claims once its signature and every claim check passed.
     *
     * @return the claims and the key that verified the signature
     */
    Verified verify(SignedJWT jwt, List<VerificationKey> keys) throws TokenRejectedException {
        if (keys.isEmpty()) {
            throw new TokenRejectedException("token-unknown-key");
        }
        VerificationKey verifiedBy = null;
        for (VerificationKey key : keys) {
            try {
                JWSVerifier verifier = verifiers.createJWSVerifier(jwt.getHeader(), key.key());
                if (jwt.verify(verifier)) {
                    verifiedBy = key;
                    break;
                }
            }
            catch (JOSEException | IllegalStateException ex) {
                // Key unusable for this header (wrong type or size): try the next candidate.
            }
        }
        if (verifiedBy == null) {
            throw new TokenRejectedException("token-invalid-signature");
        }
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        }
        catch (ParseException ex) {
            throw new TokenRejectedException("token-malformed");
        }
        checkClaims(claims);
        return new Verified(claims, verifiedBy);
    }

    /**
     * @param claims the verified claims
     * @param key the key whose signature check passed
     */
    record Verified(JWTClaimsSet claims, VerificationKey key) {
    }

    private void checkClaims(JWTClaimsSet claims) throws TokenRejectedException {
        Date expires = claims.getExpirationTime();
        if (expires == null) {
            throw new TokenRejectedException("token-invalid-claims");
        }
        Date notBefore = claims.getNotBeforeTime();
        checkTimes(expires.getTime(), notBefore == null ? Long.MIN_VALUE : notBefore.getTime());
        if (issuer != null && !issuer.equals(claims.getIssuer())) {
            throw new TokenRejectedException("token-invalid-issuer");
        }
        if (!audiences.isEmpty()) {
            List<String> audience = claims.getAudience();
            if (audience == null || audience.stream().noneMatch(audiences::contains)) {
                throw new TokenRejectedException("token-invalid-audience");
            }
        }
    }

    /**
     * {@code exp} and {@code nbf} against the clock now, with the skew: the check a cached token
     * must pass again on every use.
     *
     * @param notBefore {@link Long#MIN_VALUE} without {@code nbf}
     */
    void checkTimes(long expires, long notBefore) throws TokenRejectedException {
        long now = clock.millis();
        if (now > expires + skewMillis) {
            throw new TokenRejectedException("token-expired");
        }
        if (notBefore != Long.MIN_VALUE && now + skewMillis < notBefore) {
            throw new TokenRejectedException("token-not-yet-valid");
        }
    }
}
