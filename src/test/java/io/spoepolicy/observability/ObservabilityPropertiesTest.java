package io.spoepolicy.observability;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class ObservabilityPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(ObservabilityProperties.class)
    static class Enable {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Enable.class);

    @Test
    void defaults() {
        runner.run(context -> {
            ObservabilityProperties properties = context.getBean(ObservabilityProperties.class);
            assertThat(properties.metrics().maxTagValues()).isEqualTo(64);
            assertThat(properties.metrics().ruleIdsVariable()).isEqualTo("waf_rules");
            assertThat(properties.metrics().policyDurationHistogram()).isFalse();
            assertThat(properties.decisionLog().enabled()).isTrue();
            assertThat(properties.decisionLog().allowSampleRate()).isZero();
        });
    }

    @Test
    void aWrongValueFailsStartupNamingTheProperty() {
        runner.withPropertyValues("spoe.observability.decision-log.allow-sample-rate=1.5").run(context ->
                assertThat(context).getFailure().rootCause().hasMessageContaining("allowSampleRate")
                        .hasMessageContaining("spoe.observability"));
        runner.withPropertyValues("spoe.observability.metrics.max-tag-values=0").run(context ->
                assertThat(context).getFailure().rootCause().hasMessageContaining("maxTagValues"));
    }

    @Test
    void policyDurationHistogramBinds() {
        runner.withPropertyValues("spoe.observability.metrics.policy-duration-histogram=true").run(context ->
                assertThat(context.getBean(ObservabilityProperties.class).metrics().policyDurationHistogram()).isTrue());
    }
}
