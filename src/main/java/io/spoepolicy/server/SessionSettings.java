package io.spoepolicy.server;

import java.time.Duration;
import java.util.List;

/**
 * The per-connection settings every session of a server shares.
 *
 * @param maxFrameSize the agent's own max-frame-size
 * @param maxInboundFrameSize upper bound on frames accepted from HAProxy
 * @param maxInFlightPerConnection NOTIFYs processed at once on one connection
 * @param maxMessagesPerFrame messages one NOTIFY may carry
 * @param fragmentation whether fragmentation is announced and reassembled
 * @param maxReassembledSize bytes a reassembled NOTIFY may reach
 * @param helloTimeout how long a new connection may stay silent
 * @param idleTimeout agent-side idle close, {@link Duration#ZERO} for none
 * @param linger how long to wait for HAProxy's close after AGENT-DISCONNECT
 * @param capabilities the capabilities announced in AGENT-HELLO
 */
public record SessionSettings(int maxFrameSize, int maxInboundFrameSize, int maxInFlightPerConnection,
        int maxMessagesPerFrame, boolean fragmentation, int maxReassembledSize, Duration helloTimeout,
        Duration idleTimeout, Duration linger, List<String> capabilities) {

    public SessionSettings {
        capabilities = List.copyOf(capabilities);
    }
}
