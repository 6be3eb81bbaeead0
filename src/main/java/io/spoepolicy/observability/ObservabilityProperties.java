package io.spoepolicy.observability;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Metrics and decision logs ({@code spoe.observability.*}).
 *
 * @param metrics bounds and sources of the SPOP and policy meters
 * @param decisionLog the per-request decision log
 */
@Validated
@ConfigurationProperties("spoe.observability")
public record ObservabilityProperties(
        @DefaultValue @Valid Metrics metrics,
        @DefaultValue @Valid DecisionLog decisionLog) {

    /**
     * @param maxTagValues distinct values kept per tag (message name, policy, reason, frame size);
     *        further values are counted under {@code other}, so a misbehaving peer or policy cannot
     *        grow the number of time series
     * @param ruleIdsVariable decision variable in which a policy (the WAF) reports the ids of the
     *        rules that matched, separated by spaces or commas
     * @param maxRuleIds distinct rule ids counted by {@code spoe.waf.rule.matches}; further ids are
     *        counted as {@code other}
     * @param reactorNetty also record Reactor Netty's own TCP meters for the SPOP listener (with
     *        the per-peer {@code remote.address} tag removed)
     * @param policyDurationHistogram give {@code spoe.policy.duration} (per policy and verdict) the
     *        latency buckets, for percentiles by policy; off, it keeps count, sum and max, and the
     *        per-message {@code spoe.notify.duration} histogram still gives the request's latency
     *        percentiles. Off by default: recording into the buckets on every decision was the
     *        largest single cost of the meters on the event loops (BENCHMARKS.md)
     */
    public record Metrics(
            @DefaultValue("64") @Min(1) @Max(10_000) int maxTagValues,
            @DefaultValue("waf_rules") @NotBlank String ruleIdsVariable,
            @DefaultValue("500") @Min(0) @Max(100_000) int maxRuleIds,
            @DefaultValue("false") boolean reactorNetty,
            @DefaultValue("false") boolean policyDurationHistogram) {

        /** The constructor properties bind to (the other one is for code written before the histogram switch). */
        @ConstructorBinding
        public Metrics {
        }

        /** Without the per-policy histogram (the default). */
        public Metrics(int maxTagValues, String ruleIdsVariable, int maxRuleIds, boolean reactorNetty) {
            this(maxTagValues, ruleIdsVariable, maxRuleIds, reactorNetty, false);
        }
    }

    /**
     * @param enabled log one line per denied (or failed) message, and sampled allowed ones
     * @param allowSampleRate fraction of allowed or bypassed messages that are logged, 0 to 1
     * @param maxValueLength request values (path, method) are cut to this many characters
     */
    public record DecisionLog(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("0.0") @DecimalMin("0.0") @DecimalMax("1.0") double allowSampleRate,
            @DefaultValue("256") @Min(16) @Max(65_536) int maxValueLength) {
    }
}
