package io.spoepolicy.server;

import java.time.Duration;

/**
 * Listener and drain settings of a {@link SpoeServer}.
 *
 * @param host bind address
 * @param port bind port, 0 for any free port
 * @param backlog listen backlog
 * @param ioThreads event-loop threads, 0 for one per CPU
 * @param drain graceful shutdown timing
 */
public record ServerSettings(String host, int port, int backlog, int ioThreads, DrainSettings drain) {

    /**
     * @param window serve new connections and NOTIFYs this long after shutdown starts
     * @param quietPeriod close a connection only after this long without traffic
     * @param linger wait this long for HAProxy to close after AGENT-DISCONNECT
     * @param deadline the drain ends at the latest after this long
     */
    public record DrainSettings(Duration window, Duration quietPeriod, Duration linger, Duration deadline) {
    }
}
