package io.spoepolicy.config;

import java.time.Duration;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import io.spoepolicy.server.tls.ClientAuth;

/**
 * TLS on the SPOP listener ({@code spoe.server.ssl.*}).
 *
 * @param bundle name of a Spring SSL bundle ({@code spring.ssl.bundle.pem.<name>} or
 *        {@code spring.ssl.bundle.jks.<name>}) holding the agent's certificate and, for client
 *        authentication, the CA that signs HAProxy's; unset (default) = plain TCP
 * @param clientAuth {@code none}, {@code want} or {@code need} (mutual TLS: HAProxy's server line
 *        needs {@code crt}); {@code need} is what closes the port to anyone but HAProxy
 * @param handshakeTimeout a TLS handshake not done by then is aborted (the HELLO deadline applies too)
 */
@Validated
@ConfigurationProperties("spoe.server.ssl")
public record SpoeTlsProperties(
        String bundle,
        @DefaultValue("none") @NotNull ClientAuth clientAuth,
        @DefaultValue("5s") @NotNull Duration handshakeTimeout) {

    public boolean enabled() {
        return bundle != null && !bundle.isBlank();
    }

    @AssertTrue(message = "spoe.server.ssl.client-auth needs spoe.server.ssl.bundle: client certificates "
            + "can only be checked on a TLS listener")
    public boolean isClientAuthWithBundle() {
        return clientAuth == null || clientAuth == ClientAuth.NONE || enabled();
    }

    @AssertTrue(message = "spoe.server.ssl.handshake-timeout must be positive")
    public boolean isHandshakeTimeoutPositive() {
        return handshakeTimeout == null || (!handshakeTimeout.isNegative() && !handshakeTimeout.isZero());
    }
}
