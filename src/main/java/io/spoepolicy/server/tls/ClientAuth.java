package io.spoepolicy.server.tls;

/** Whether SPOP clients (HAProxy) must present a certificate. */
public enum ClientAuth {
    /** No client certificate is asked for: TLS only encrypts and authenticates the agent. */
    NONE,
    /** A certificate is asked for and verified if sent; clients without one are still accepted. */
    WANT,
    /** Mutual TLS: a client without a certificate trusted by the bundle's trust store is refused. */
    NEED;

    io.netty.handler.ssl.ClientAuth toNetty() {
        return switch (this) {
            case NONE -> io.netty.handler.ssl.ClientAuth.NONE;
            case WANT -> io.netty.handler.ssl.ClientAuth.OPTIONAL;
            case NEED -> io.netty.handler.ssl.ClientAuth.REQUIRE;
        };
    }
}
