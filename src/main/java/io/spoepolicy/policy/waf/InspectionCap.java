package io.spoepolicy.policy.waf;

/** An inspection limit that was reached, so part of the request was not inspected. */
public enum InspectionCap {
    /** The body was longer than the configured byte limit; only its head was inspected. */
    BODY_BYTES,
    /** The request had more arguments than the configured limit; the rest were ignored. */
    ARGS_COUNT,
    /** Evaluation ran out of its time budget; later rules did not run. */
    TIME_BUDGET
}
