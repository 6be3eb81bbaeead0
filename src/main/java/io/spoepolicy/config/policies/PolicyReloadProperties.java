package io.spoepolicy.config.policies;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Runtime reload of the policy configuration ({@code spoe.policies.reload.*}).
 *
 * @param watch poll the configuration files and the files the policies read (network lists,
 *        key sets, secrets) and reload when one changes
 * @param pollInterval how often to look for changes
 */
@Validated
@ConfigurationProperties("spoe.policies.reload")
public record PolicyReloadProperties(
        @DefaultValue("false") boolean watch,
        @DefaultValue("2s") @NotNull Duration pollInterval) {
}
