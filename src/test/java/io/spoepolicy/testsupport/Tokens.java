package io.spoepolicy.testsupport;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/** Signs test tokens. */
public final class Tokens {

    private Tokens() {
    }

    public static RSAKey rsaKey(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        }
        catch (JOSEException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Claims valid for five minutes from now, for issuer and audience given. */
    public static JWTClaimsSet.Builder claims(String subject, String issuer, String audience) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().subject(subject).issuer(issuer).audience(List.of(audience))
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofMinutes(5))));
    }

    public static String sign(RSAKey key, JWTClaimsSet claims) {
        return sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), rsaSigner(key), claims);
    }

    public static String signHmac(OctetSequenceKey key, JWTClaimsSet claims) {
        try {
            return sign(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(key.getKeyID()).build(), new MACSigner(key),
                    claims);
        }
        catch (JOSEException ex) {
            throw new IllegalStateException(ex);
        }
    }

    public static String sign(JWSHeader header, JWSSigner signer, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(signer);
            return jwt.serialize();
        }
        catch (JOSEException ex) {
            throw new IllegalStateException(ex);
        }
    }

    public static JWSSigner rsaSigner(RSAKey key) {
        try {
            return new RSASSASigner(key);
        }
        catch (JOSEException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
