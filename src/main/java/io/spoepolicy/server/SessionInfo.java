package io.spoepolicy.server;

import java.net.SocketAddress;
import java.time.Instant;
import java.util.List;

/**
 * What is known about one SPOP connection at a point in time; safe to hand out to metrics,
 * health and the actuator endpoint.
 *
 * @param id connection id, unique in this process
 * @param peer HAProxy's address
 * @param state current state of the session
 * @param engineId engine-id sent by HAProxy, or {@code null} (health checks, or not yet known)
 * @param version negotiated SPOP version, or {@code null} before the handshake
 * @param maxFrameSize negotiated max-frame-size, 0 before the handshake
 * @param capabilities capabilities in effect (announced by both sides)
 * @param healthcheck whether the HELLO was an {@code option spop-check} probe
 * @param inFlight NOTIFYs received and not yet acknowledged
 * @param framesIn frames received
 * @param framesOut frames sent
 * @param openedAt when the connection was accepted
 */
public record SessionInfo(long id, SocketAddress peer, SessionState state, String engineId, String version,
        int maxFrameSize, List<String> capabilities, boolean healthcheck, int inFlight, long framesIn,
        long framesOut, Instant openedAt) {
}
