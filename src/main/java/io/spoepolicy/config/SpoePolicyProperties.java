package io.spoepolicy.config;

import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Policy dispatch ({@code spoe.policies.*}).
 *
 * @param deadline time budget of one message's whole policy chain; keep it below HAProxy's
 *        {@code timeout processing} so the ACK carries an error variable instead of arriving late
 * @param order policy names in evaluation order; policies not listed follow, by {@code @Order}
 * @param scope HAProxy scope of the decision variables ({@code txn} for HTTP events,
 *        {@code sess} for {@code on-client-session})
 * @param scheduler the bounded scheduler that runs synchronous, non-inline policies
 */
@Validated
@ConfigurationProperties("spoe.policies")
public record SpoePolicyProperties(
        @DefaultValue("400ms") @NotNull Duration deadline,
        @DefaultValue List<String> order,
        @DefaultValue("txn") @NotNull String scope,
        @DefaultValue @Valid Scheduler scheduler) {

    /**
     * @param threads worker threads; 0 means 4 per CPU
     * @param queue tasks waiting for a thread at most; beyond, messages get {@code agent_error=overloaded}
     */
    public record Scheduler(@DefaultValue("0") @Min(0) int threads, @DefaultValue("10000") @Min(1) int queue) {
    }
}
