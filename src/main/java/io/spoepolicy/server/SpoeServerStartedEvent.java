package io.spoepolicy.server;

import java.net.InetSocketAddress;

import org.springframework.context.ApplicationEvent;

/** Published once the SPOP listener is bound; tests and users read the port from it. */
public final class SpoeServerStartedEvent extends ApplicationEvent {

    private final InetSocketAddress address;

    public SpoeServerStartedEvent(SpoeServer server, InetSocketAddress address) {
        super(server);
        this.address = address;
    }

    public InetSocketAddress address() {
        return address;
    }

    public int port() {
        return address.getPort();
    }
}
