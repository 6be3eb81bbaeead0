package io.spoepolicy.server;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The open SPOP sessions. Tracked here rather than through a Netty channel group because a
 * connection accepted just before shutdown may not have joined the group yet, and because the
 * drain needs the protocol state of each session, not only its channel.
 */
public final class SessionRegistry {

    private final ConcurrentHashMap<Long, SpopSession> sessions = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private final AtomicLongArray closed = new AtomicLongArray(CloseReason.values().length);

    long nextId() {
        return ids.incrementAndGet();
    }

    void add(SpopSession session) {
        sessions.put(session.id(), session);
        peak.accumulateAndGet(open.incrementAndGet(), Math::max);
    }

    void remove(SpopSession session, CloseReason reason) {
        if (sessions.remove(session.id()) != null) {
            open.decrementAndGet();
            closed.incrementAndGet(reason.ordinal());
        }
    }

    public int size() {
        return sessions.size();
    }

    Collection<SpopSession> sessions() {
        return sessions.values();
    }

    /** A snapshot of every open session. */
    public List<SessionInfo> snapshot() {
        List<SessionInfo> infos = new ArrayList<>(sessions.size());
        for (SpopSession session : sessions.values()) {
            infos.add(session.info());
        }
        return infos;
    }

    /** Connections accepted since start (every session ever registered). */
    public long accepted() {
        return ids.get();
    }

    /** Most connections open at once since start or the last {@link #resetPeak()}. */
    public int peak() {
        return peak.get();
    }

    /**
     * Starts a new peak measurement from the current number of open connections and returns the
     * peak reached before; for reload-burst measurements and metrics that report per interval.
     */
    public int resetPeak() {
        return peak.getAndSet(open.get());
    }

    /** Connections closed for this reason since start. */
    public long closed(CloseReason reason) {
        return closed.get(reason.ordinal());
    }

    /** NOTIFYs in flight over all sessions. */
    public int inFlight() {
        int total = 0;
        for (SpopSession session : sessions.values()) {
            total += session.inFlight();
        }
        return total;
    }
}
