package io.spoepolicy.server;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The open SPOP sessions. Tracked here rather than through a Netty channel group because a
 * connection accepted just before shutdown may not have joined the group yet, and because the
 * drain needs the protocol state of each session, not only its channel.
 */
public final class SessionRegistry {

    private final ConcurrentHashMap<Long, SpopSession> sessions = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    long nextId() {
        return ids.incrementAndGet();
    }

    void add(SpopSession session) {
        sessions.put(session.id(), session);
    }

    void remove(SpopSession session) {
        sessions.remove(session.id());
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

    /** NOTIFYs in flight over all sessions. */
    public int inFlight() {
        int total = 0;
        for (SpopSession session : sessions.values()) {
            total += session.inFlight();
        }
        return total;
    }
}
