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
    private final WarmupConnections warmup;
    // A peer can cause a log line per connection; a storm of them yields one line per interval.
    private final LogThrottle refusals = new LogThrottle(java.time.Duration.ofSeconds(10));
    private final SpopSession.PeerLogs peerLogs = new SpopSession.PeerLogs();

    public SessionFactory(SessionSettings settings, NotifyHandler handler, InflightLimiter limiter,
            SessionRegistry registry, SessionObserver observer, DrainSignal drain, int maxConnections) {
        this(settings, handler, limiter, registry, observer, drain, maxConnections, new WarmupConnections());
    }

    /** @param warmup the addresses of the agent's own warm-up connections */
    public SessionFactory(SessionSettings settings, NotifyHandler handler, InflightLimiter limiter,
            SessionRegistry registry, SessionObserver observer, DrainSignal drain, int maxConnections,
            WarmupConnections warmup) {
        this.warmup = warmup;
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
        return create(null);
    }

    /**
     * A new session for a connection from {@code peer}, or {@code null} when the connection limit
     * is reached. The agent's own warm-up connection gets a session that no registry, observer or
     * limit sees (id 0): it must leave no trace in metrics, in the {@code spoe} endpoint or in the
     * drain's counts.
     */
    SpopSession create(java.net.SocketAddress peer) {
        if (peer != null && warmup.isWarmup(peer)) {
            return new SpopSession(0, settings, handler, limiter, new SessionRegistry(), SessionObserver.NONE, drain,
                    peerLogs, true);
        }
        if (maxConnections > 0 && registry.size() >= maxConnections) {
            long suppressed = refusals.tryAcquire();
            if (suppressed >= 0) {
                log.warn("Refusing SPOP connection: spoe.server.limits.max-connections ({}) reached{}", maxConnections,
                        suppressed > 0 ? " (" + suppressed + " more refused, not logged)" : "");
            }
            observer.connectionClosed(new SessionInfo(0, null, SessionState.CLOSED, null, null, 0,
                    java.util.List.of(), false, 0, 0, 0, java.time.Instant.now()), CloseReason.REJECTED);
            return null;
        }
        return new SpopSession(registry.nextId(), settings, handler, limiter, registry, observer, drain, peerLogs,
                false);
    }

    public SessionRegistry registry() {
        return registry;
    }
}
