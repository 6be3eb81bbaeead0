package io.spoepolicy.policy.auth;

import java.util.List;

import com.nimbusds.jose.JWSHeader;
import reactor.core.publisher.Mono;

/** Where the keys that verify token signatures come from. */
interface JwkSource {

    /**
     * The keys that may have signed a token with this header; empty when none is known. Fails
     * with {@link JwksUnavailableException} when the key may exist but cannot be fetched now.
     */
    Mono<List<VerificationKey>> keys(JWSHeader header);
}
