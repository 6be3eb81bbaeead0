package io.spoepolicy.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExtensionContext;

class ExternalBinaryConditionTest {

    private static final String HAPROXY_OVERRIDE = "spoe.haproxy.bin";

    private final String savedRequired = System.getProperty(ExternalBinaryCondition.REQUIRED_PROPERTY);
    /**
     * Put back rather than cleared: a run pointed at another HAProxy ({@code -Dspoe.haproxy.bin=...})
     * would otherwise run every later test class in this JVM against the distribution's binary,
     * while {@link HaproxyBinary#version()} may already have cached the other one's version.
     */
    private final String savedOverride = System.getProperty(HAPROXY_OVERRIDE);
    private final ExternalBinaryCondition condition = new ExternalBinaryCondition();

    @RequiresHaproxy
    static class NeedsHaproxy {
    }

    static class NeedsNothing {
    }

    @AfterEach
    void restoreProperties() {
        restore(HAPROXY_OVERRIDE, savedOverride);
        restore(ExternalBinaryCondition.REQUIRED_PROPERTY, savedRequired);
    }

    private static void restore(String name, String value) {
        if (value == null) {
            System.clearProperty(name);
        } else {
            System.setProperty(name, value);
        }
    }

    @Test
    void skipsWithAnInstallHintWhenTheBinaryIsMissing() {
        System.setProperty(HAPROXY_OVERRIDE, "/nonexistent/haproxy");
        System.setProperty(ExternalBinaryCondition.REQUIRED_PROPERTY, "false");

        ConditionEvaluationResult result = condition.evaluateExecutionCondition(contextFor(NeedsHaproxy.class));

        assertThat(result.isDisabled()).isTrue();
        assertThat(result.getReason()).hasValue(
                "haproxy not found on PATH: end-to-end tests skipped; install with apt-get install haproxy");
    }

    @Test
    void failsInsteadOfSkippingWhenEndToEndTestsAreRequired() {
        System.setProperty(HAPROXY_OVERRIDE, "/nonexistent/haproxy");
        System.setProperty(ExternalBinaryCondition.REQUIRED_PROPERTY, "true");

        assertThatThrownBy(() -> condition.evaluateExecutionCondition(contextFor(NeedsHaproxy.class)))
                .hasMessageContaining("haproxy not found on PATH")
                .hasMessageContaining("spoe.e2e.required=true");
    }

    @Test
    void enablesUnannotatedTests() {
        System.setProperty(HAPROXY_OVERRIDE, "/nonexistent/haproxy");

        assertThat(condition.evaluateExecutionCondition(contextFor(NeedsNothing.class)).isDisabled()).isFalse();
    }

    private static ExtensionContext contextFor(Class<?> testClass) {
        ExtensionContext context = mock(ExtensionContext.class);
        when(context.getElement()).thenReturn(Optional.of(testClass));
        when(context.getTestClass()).thenReturn(Optional.of(testClass));
        when(context.getDisplayName()).thenReturn(testClass.getSimpleName());
        return context;
    }
}
