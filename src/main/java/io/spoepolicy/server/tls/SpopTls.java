package io.spoepolicy.server.tls;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLException;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslOptions;
import reactor.netty.tcp.TcpServer;

import io.spoepolicy.server.SpoeServer;

/**
 * TLS on the SPOP listener, from a Spring SSL bundle.
 *
 * <p>Every accepted connection gets an {@link SslHandler} first in its pipeline, built from the
 * current context; {@link #update} swaps the context when the bundle's files change, so a rotated
 * certificate applies to new connections without a restart while open ones keep theirs. The
 * handshake runs under the connection's HELLO deadline as well as its own timeout, so a peer that
 * connects and stalls the handshake is closed like one that never says HELLO.
 */
public final class SpopTls implements SpoeServer.TcpServerCustomizer {

    private static final Logger log = LoggerFactory.getLogger(SpopTls.class);

    private final String bundleName;
    private final ClientAuth clientAuth;
    private final Duration handshakeTimeout;
    private final AtomicReference<SslContext> context = new AtomicReference<>();
    private final TlsFailureHandler failures = new TlsFailureHandler();

    public SpopTls(String bundleName, SslBundle bundle, ClientAuth clientAuth, Duration handshakeTimeout) {
        this.bundleName = bundleName;
        this.clientAuth = clientAuth;
        this.handshakeTimeout = handshakeTimeout;
        this.context.set(build(bundle));
    }

    @Override
    public TcpServer customize(TcpServer server) {
        return server.doOnChannelInit((observer, channel, remoteAddress) -> install(channel));
    }

    private void install(Channel channel) {
        SslHandler handler = context.get().newHandler(channel.alloc());
        handler.setHandshakeTimeoutMillis(handshakeTimeout.toMillis());
        channel.pipeline().addFirst("spoe-tls", handler);
        channel.pipeline().addAfter("spoe-tls", "spoe-tls-failures", failures);
    }

    /** Applies a changed bundle to connections accepted from now on. */
    public void update(SslBundle bundle) {
        try {
            context.set(build(bundle));
            log.info("SPOP TLS: SSL bundle '{}' reloaded; new connections use the new certificate", bundleName);
        }
        catch (RuntimeException ex) {
            log.error("SPOP TLS: SSL bundle '{}' changed but could not be applied; keeping the previous one",
                    bundleName, ex);
        }
    }

    /** Handshakes that completed, since startup. */
    public long handshakes() {
        return failures.handshakes();
    }

    /** Handshakes that failed (refused clients, plain text, timeouts), since startup. */
    public long failedHandshakes() {
        return failures.failures();
    }

    public ClientAuth clientAuth() {
        return clientAuth;
    }

    public String bundleName() {
        return bundleName;
    }

    private SslContext build(SslBundle bundle) {
        if (clientAuth != ClientAuth.NONE && bundle.getStores().getTrustStore() == null) {
            throw new IllegalStateException("spoe.server.ssl.client-auth=" + clientAuth.name().toLowerCase()
                    + " needs a trust store in SSL bundle '" + bundleName
                    + "' (spring.ssl.bundle.<type>." + bundleName + ".truststore.*) to verify HAProxy's certificate");
        }
        SslContextBuilder builder = SslContextBuilder.forServer(bundle.getManagers().getKeyManagerFactory())
                .clientAuth(clientAuth.toNetty());
        if (clientAuth != ClientAuth.NONE) {
            builder.trustManager(bundle.getManagers().getTrustManagerFactory());
        }
        SslOptions options = bundle.getOptions();
        if (options.getEnabledProtocols() != null) {
            builder.protocols(options.getEnabledProtocols());
        }
        if (options.getCiphers() != null) {
            builder.ciphers(Arrays.asList(options.getCiphers()));
        }
        try {
            return builder.build();
        }
        catch (SSLException ex) {
            throw new IllegalStateException("SSL bundle '" + bundleName + "' (spoe.server.ssl.bundle) cannot be used "
                    + "for the SPOP listener: " + ex.getMessage(), ex);
        }
    }
}
