package io.spoepolicy.config;

import java.time.Duration;

/**
 * Checks at startup that the SPOP drain fits in the lifecycle phase that runs it: Spring gives each
 * shutdown phase {@code spring.lifecycle.timeout-per-shutdown-phase} and then moves on, which
 * would cut the drain short and lose decisions.
 */
final class DrainBudget {

    /** Room left for closing the listener and the event loops after the drain. */
    static final Duration MARGIN = Duration.ofSeconds(1);

    private DrainBudget() {
    }

    static void validate(SpoeServerProperties.Drain drain, Duration phaseTimeout) {
        Duration needed = drain.deadline().plus(drain.linger()).plus(MARGIN);
        if (needed.compareTo(phaseTimeout) > 0) {
            throw new IllegalStateException("spoe.server.drain.deadline (" + drain.deadline()
                    + ") + spoe.server.drain.linger (" + drain.linger() + ") + " + MARGIN.toSeconds()
                    + "s must not exceed spring.lifecycle.timeout-per-shutdown-phase (" + phaseTimeout
                    + "): raise the phase timeout or shorten the drain");
        }
    }
}
