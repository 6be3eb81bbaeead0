package io.spoepolicy.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the session of each accepted connection. Creation is cheap and allocates nothing
 * beyond the handler pair, because a reload can open hundreds of connections at once.
 */
public final class SessionFactory {

    private static final Logger log = LoggerFactory.getLogger(SessionFactory.class);

    private final SessionSettings settings;
    private final NotifyHandler handler;
    private final InflightLimiter limiter;
    private final SessionRegistry registry;
    private final SessionObserver observer;
    private final DrainSignal drain;
    private final int maxConnections;

    public SessionFactory(SessionSettings settings, NotifyHandler handler, InflightLimiter limiter,
            SessionRegistry registry, SessionObserver observer, DrainSignal drain, int maxConnections) {
        this.settings = settings;
        this.handler = handler;
        this.limiter = limiter;
        this.registry = registry;
        this.observer = observer;
        this.drain = drain;
        this.maxConnections = maxConnections;
    }

    /** A new session, or {@code null} when the connection limit is reached. */
    SpopSession create() {
        if (maxConnections > 0 && registry.size() >= maxConnections) {
            log.warn("Refusing SPOP connection: spoe.server.limits.max-connections ({}) reached", maxConnections);
            observer.connectionClosed(new SessionInfo(0, null, SessionState.CLOSED, null, null, 0,
                    java.util.List.of(), false, 0, 0, 0, java.time.Instant.now()), CloseReason.REJECTED);
            return null;
        }
        return new SpopSession(registry.nextId(), settings, handler, limiter, registry, observer, drain);
    }

    public SessionRegistry registry() {
        return registry;
    }
}
