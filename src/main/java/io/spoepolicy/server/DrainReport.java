package io.spoepolicy.server;

import java.time.Duration;

/**
 * How a drain ended.
 *
 * @param drained sessions closed gracefully (quiet, or closed by HAProxy) during the drain
 * @param forced sessions still open at the deadline and closed then
 * @param duration time from the start of the drain to its end
 */
public record DrainReport(int drained, int forced, Duration duration) {
}
