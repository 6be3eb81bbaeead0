package io.spoepolicy.server;

import java.time.Duration;

/**
 * How a drain ended.
 *
 * @param drained data connections that ended gracefully during the drain: closed by the agent once
 *        quiet, or closed by HAProxy
 * @param forced data connections still open at the deadline and closed then
 * @param duration time from the start of the drain to its end
 * @param openAtStart connections open when the drain started (health checks included)
 * @param acceptedDuringDrain connections accepted during the drain window
 * @param closedQuiet connections the agent closed once quiet (AGENT-DISCONNECT 0 and linger)
 * @param closedByHaproxy connections HAProxy closed (HAPROXY-DISCONNECT or a bare close)
 * @param lostInFlight NOTIFYs still in flight on the connections forced closed at the deadline:
 *        the decisions this drain lost
 */
public record DrainReport(int drained, int forced, Duration duration, int openAtStart, long acceptedDuringDrain,
        long closedQuiet, long closedByHaproxy, int lostInFlight) {

    /** The first three figures only, as reported before the breakdown existed. */
    public DrainReport(int drained, int forced, Duration duration) {
        this(drained, forced, duration, drained + forced, 0, 0, 0, 0);
    }
}
