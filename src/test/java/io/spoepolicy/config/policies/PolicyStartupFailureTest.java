package io.spoepolicy.config.policies;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.spoepolicy.SpoePolicyApplication;

import static org.assertj.core.api.Assertions.assertThat;

/** A wrong policy value stops startup with a message naming the property. */
class PolicyStartupFailureTest {

    @Test
    void startupFailsNamingThePropertyAtFault() {
        assertThat(failure("spoe.policies.ip-access.deny[0]=not-a-network"))
                .contains("spoe.policies.ip-access.deny[0]").contains("not-a-network");
        assertThat(failure("spoe.policies.rate-limit.enabled=true", "spoe.policies.rate-limit.limit=0"))
                .contains("spoe.policies.rate-limit.limit");
        assertThat(failure("spoe.policies.jwt.mode=sometimes")).contains("spoe.policies.jwt.mode").contains("sometimes");
    }

    /** All messages of the failure's cause chain. */
    private static String failure(String... properties) {
        // Command-line arguments, which override application.yml as an operator's would.
        String[] args = new String[properties.length + 2];
        for (int i = 0; i < properties.length; i++) {
            args[i] = "--" + properties[i];
        }
        args[properties.length] = "--spoe.server.port=0";
        args[properties.length + 1] = "--server.port=0";
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SpoePolicyApplication.class)
                .run(args)) {
            throw new AssertionError("startup should have failed with " + String.join(", ", properties));
        }
        catch (RuntimeException ex) {
            StringBuilder messages = new StringBuilder();
            for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
                messages.append(cause.getMessage()).append('\n');
            }
            return messages.toString();
        }
    }
}
