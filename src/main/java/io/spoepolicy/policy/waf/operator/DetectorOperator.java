package io.spoepolicy.policy.waf.operator;

import java.util.function.Function;

/**
 * {@code @detectSQLi} / {@code @detectXSS}: delegates to one of the project's detectors, which
 * return a short fingerprint on detection and {@code null} otherwise.
 */
public record DetectorOperator(Function<String, String> detector) implements Operator {

    @Override
    public boolean matches(String input, OperatorContext context) {
        String fingerprint = detector.apply(input);
        if (fingerprint == null) {
            return false;
        }
        if (context.captureEnabled()) {
            context.capture(0, fingerprint);
        }
        return true;
    }
}
