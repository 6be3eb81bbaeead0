package io.spoepolicy.config;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import io.spoepolicy.server.SpoeServer;

import static org.assertj.core.api.Assertions.assertThat;

/** The drain configuration fails startup, naming the properties, when it cannot work. */
class DrainConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Wiring.class)
            .withPropertyValues("spoe.server.port=0", "spoe.server.host=127.0.0.1");

    @Test
    void defaultsFitTheDefaultPhaseTimeout() {
        runner.run(context -> assertThat(context).hasNotFailed().hasSingleBean(SpoeServer.class));
    }

    @Test
    void aDrainLongerThanTheShutdownPhaseFailsStartup() {
        runner.withPropertyValues("spoe.server.drain.deadline=20s", "spring.lifecycle.timeout-per-shutdown-phase=15s")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("spoe.server.drain.deadline")
                        .hasMessageContaining("spoe.server.drain.linger")
                        .hasMessageContaining("spring.lifecycle.timeout-per-shutdown-phase"));
    }

    @Test
    void aWindowThatLeavesNoTimeForQuietClosesFailsStartup() {
        runner.withPropertyValues("spoe.server.drain.window=10s", "spoe.server.drain.deadline=10s")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasStackTraceContaining("spoe.server.drain.window + spoe.server.drain.quiet-period"));
    }

    @Test
    void aZeroQuietPeriodFailsStartup() {
        runner.withPropertyValues("spoe.server.drain.quiet-period=0s")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasStackTraceContaining("quiet-period must be positive"));
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({SpoeServerProperties.class, SpoePolicyProperties.class})
    @Import(SpoeConfiguration.class)
    static class Wiring {
    }
}
