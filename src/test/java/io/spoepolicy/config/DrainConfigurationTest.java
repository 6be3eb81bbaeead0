package io.spoepolicy.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.Banner;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.spoepolicy.SpoePolicyApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A drain configuration that cannot work fails startup with a message naming the properties. */
class DrainConfigurationTest {

    @Test
    void theDefaultDrainNeedsThirteenSecondsOfShutdownPhase() {
        SpoeServerProperties.Drain defaults = new SpoeServerProperties.Drain(Duration.ofSeconds(3),
                Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofSeconds(10));
        DrainBudget.validate(defaults, Duration.ofSeconds(13));
        assertThatThrownBy(() -> DrainBudget.validate(defaults, Duration.ofMillis(12_999)))
                .hasMessageContaining("spring.lifecycle.timeout-per-shutdown-phase");
    }

    @Test
    void aDrainLongerThanTheShutdownPhaseFailsStartup() {
        assertThatThrownBy(() -> start("spoe.server.drain.deadline=20s",
                "spring.lifecycle.timeout-per-shutdown-phase=15s"))
                .rootCause()
                .hasMessageContaining("spoe.server.drain.deadline")
                .hasMessageContaining("spoe.server.drain.linger")
                .hasMessageContaining("spring.lifecycle.timeout-per-shutdown-phase");
    }

    @Test
    void aWindowThatLeavesNoTimeForQuietClosesFailsStartup() {
        assertThatThrownBy(() -> start("spoe.server.drain.window=10s", "spoe.server.drain.deadline=10s"))
                .hasStackTraceContaining("spoe.server.drain.window + spoe.server.drain.quiet-period");
    }

    @Test
    void aZeroQuietPeriodFailsStartup() {
        assertThatThrownBy(() -> start("spoe.server.drain.quiet-period=0s"))
                .hasStackTraceContaining("quiet-period must be positive");
    }

    /** Starts the whole service without web servers; fails the test if it starts. */
    private static void start(String... properties) {
        List<String> arguments = new ArrayList<>(List.of("--spoe.server.port=0", "--spoe.server.host=127.0.0.1",
                "--spring.main.web-application-type=none", "--spring.main.register-shutdown-hook=false"));
        for (String property : properties) {
            arguments.add("--" + property);
        }
        ConfigurableApplicationContext context = new SpringApplicationBuilder(SpoePolicyApplication.class)
                .bannerMode(Banner.Mode.OFF).logStartupInfo(false).run(arguments.toArray(String[]::new));
        context.close();
        assertThat(context).as("the service started with %s", List.of(properties)).isNull();
    }
}
