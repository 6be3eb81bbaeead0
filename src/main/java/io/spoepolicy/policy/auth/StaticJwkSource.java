package io.spoepolicy.policy.auth;

import java.util.List;

import com.nimbusds.jose.JWSHeader;
import reactor.core.publisher.Mono;

/** Keys from configuration (a file or inline JSON), fixed for the life of the policy. */
final class StaticJwkSource implements JwkSource {

    private final List<VerificationKey> keys;

    StaticJwkSource(List<VerificationKey> keys) {
        this.keys = List.copyOf(keys);
    }

    @Override
    public Mono<List<VerificationKey>> keys(JWSHeader header) {
        return Mono.just(select(header));
    }

    List<VerificationKey> select(JWSHeader header) {
        return VerificationKey.select(keys, header);
    }

    int size() {
        return keys.size();
    }
}
