package io.spoepolicy.server.warmup;

import java.time.Duration;

/**
 * What the start-up warm-up did.
 *
 * @param outcome how it ended
 * @param acknowledged synthetic NOTIFYs answered by an ACK
 * @param took from the start of the warm-up until readiness was no longer held by it
 * @param detail why it was skipped or failed; empty otherwise
 */
public record WarmupReport(Outcome outcome, int acknowledged, Duration took, String detail) {

    public enum Outcome {
        /** Every requested NOTIFY was acknowledged. */
        COMPLETED,
        /** {@code spoe.server.warmup.max-duration} passed first; readiness was not held longer. */
        TIMED_OUT,
        /** The loopback connection failed; startup went on (logged). */
        FAILED,
        /** Not possible in this configuration (TLS listener, no address); startup went on. */
        SKIPPED,
        /** {@code spoe.server.warmup.enabled=false}. */
        DISABLED
    }

    static WarmupReport notRun(Outcome outcome, String detail) {
        return new WarmupReport(outcome, 0, Duration.ZERO, detail);
    }
}
