package io.spoepolicy.policy.waf;

import java.time.Duration;

/**
 * Per-request bounds on what the engine looks at, so cost stays predictable whatever HAProxy
 * forwards.
 *
 * @param maxBodyBytes body bytes inspected; the rest is ignored and {@link InspectionCap#BODY_BYTES}
 *     reported
 * @param maxArgs arguments (query and body together) parsed; the rest are ignored and
 *     {@link InspectionCap#ARGS_COUNT} reported
 * @param timeBudget evaluation stops (between rules) once this much time has passed and
 *     {@link InspectionCap#TIME_BUDGET} is reported; {@link Duration#ZERO} disables the check
 */
public record InspectionLimits(int maxBodyBytes, int maxArgs, Duration timeBudget) {

    public static final InspectionLimits DEFAULTS =
            new InspectionLimits(128 * 1024, 1024, Duration.ZERO);

    public InspectionLimits {
        if (maxBodyBytes < 0 || maxArgs < 0) {
            throw new IllegalArgumentException("inspection limits must not be negative");
        }
        timeBudget = timeBudget == null ? Duration.ZERO : timeBudget;
    }
}
