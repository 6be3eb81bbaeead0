package io.spoepolicy.testsupport;

import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Backs {@link RequiresHaproxy} and {@link RequiresRedis}. A developer machine without the binaries
 * gets a skip with an install hint; CI sets {@code spoe.e2e.required=true} so that a missing
 * binary can never turn the end-to-end suite silently green.
 */
public final class ExternalBinaryCondition implements ExecutionCondition {

    public static final String REQUIRED_PROPERTY = "spoe.e2e.required";

    private record Requirement(Class<? extends Annotation> marker, String binary, String installHint) {
    }

    private static final List<Requirement> REQUIREMENTS = List.of(
            new Requirement(RequiresHaproxy.class, "haproxy", "apt-get install haproxy"),
            new Requirement(RequiresRedis.class, "redis-server", "apt-get install redis-server"));

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        List<String> missing = new ArrayList<>();
        for (Requirement requirement : REQUIREMENTS) {
            if (isAnnotated(context, requirement.marker()) && Binaries.locate(requirement.binary()).isEmpty()) {
                missing.add(requirement.binary() + " not found on PATH: end-to-end tests skipped; install with "
                        + requirement.installHint());
            }
        }
        if (missing.isEmpty()) {
            return ConditionEvaluationResult.enabled("required binaries present");
        }
        String notice = String.join("; ", missing);
        if (Boolean.getBoolean(REQUIRED_PROPERTY)) {
            throw new IllegalStateException(notice.replace("end-to-end tests skipped", "end-to-end tests are required ("
                    + REQUIRED_PROPERTY + "=true)"));
        }
        System.err.println("[spoe-e2e] " + context.getDisplayName() + ": " + notice);
        return ConditionEvaluationResult.disabled(notice);
    }

    private static boolean isAnnotated(ExtensionContext context, Class<? extends Annotation> marker) {
        Optional<java.lang.reflect.AnnotatedElement> element = context.getElement();
        if (element.isPresent() && AnnotationSupport.isAnnotated(element.get(), marker)) {
            return true;
        }
        return context.getTestClass().map(type -> AnnotationSupport.isAnnotated(type, marker)).orElse(false);
    }
}
