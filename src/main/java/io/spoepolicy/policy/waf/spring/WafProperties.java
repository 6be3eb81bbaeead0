package io.spoepolicy.policy.waf.spring;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.spoepolicy.policy.waf.operator.RegexOptions;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The WAF policy ({@code spoe.policies.waf.*}).
 *
 * @param enabled whether the policy runs
 * @param crsDir an OWASP CRS directory (with {@code rules/} and {@code crs-setup.conf}); when
 *        unset the project's built-in rules are used
 * @param extraRuleFiles SecLang files loaded after the rules: exclusions, custom rules
 * @param paranoiaLevel CRS paranoia level, 1 (few false positives) to 4
 * @param inboundThreshold inbound anomaly score at which a request is denied
 * @param detectOnly evaluate and report in {@code waf_score}/{@code waf_rules}, never deny
 * @param denyStatus HTTP status HAProxy denies with
 * @param maxBodyBytes body bytes inspected; HAProxy's {@code tune.bufsize} bounds it anyway
 * @param maxArgs arguments (query plus body) inspected
 * @param timeBudget evaluation stops between rules after this long and reports a partial
 *        inspection; keep it below {@code spoe.policies.deadline}
 * @param exportMessage also send the short message as {@code waf_message} (register it in
 *        HAProxy's {@code register-var-names} first)
 * @param denyPartialInspection deny requests that hit an inspection cap (body bytes, argument
 *        count, time budget) instead of allowing them: an attacker can pad a request past the caps
 *        to keep the payload from being inspected
 * @param exclusions rules switched off per host and/or path prefix
 * @param txVariables further CRS setup values as TX variables (e.g. {@code allowed_methods})
 * @param regexDfa how {@code @rx} patterns are matched
 */
@Validated
@ConfigurationProperties("spoe.policies.waf")
public record WafProperties(
        @DefaultValue("false") boolean enabled,
        Path crsDir,
        @DefaultValue List<Path> extraRuleFiles,
        @DefaultValue("1") @Min(1) @Max(4) int paranoiaLevel,
        @DefaultValue("5") @Min(1) int inboundThreshold,
        @DefaultValue("false") boolean detectOnly,
        @DefaultValue("403") @Min(100) @Max(599) int denyStatus,
        @DefaultValue("131072") @Min(0) int maxBodyBytes,
        @DefaultValue("1024") @Min(0) int maxArgs,
        @DefaultValue("250ms") @NotNull Duration timeBudget,
        @DefaultValue("false") boolean exportMessage,
        @DefaultValue("false") boolean denyPartialInspection,
        @DefaultValue List<@Valid Exclusion> exclusions,
        @DefaultValue Map<String, String> txVariables,
        @DefaultValue @Valid RegexDfa regexDfa) {

    /**
     * A DFA per {@code @rx} pattern ({@code spoe.policies.waf.regex-dfa.*}): answers "no match" (and
     * "match" when the rule captures nothing) in one table lookup per character, so RE2J runs
     * only to extract captures.
     *
     * @param enabled build the DFAs; off, every value a prefilter lets through goes to RE2J
     * @param maxStates DFA states one pattern may reach while its DFA is built whole (bounds the
     *        CPU spent at load); beyond, its DFA is built lazily as inputs need it
     * @param maxTableSize memory one pattern's DFA may hold; a lazily built one stops growing there
     *        and lets RE2J answer what needs new states
     */
    public record RegexDfa(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("2500") @Min(1) @Max(65000) int maxStates,
            @DefaultValue("128KB") @NotNull DataSize maxTableSize) {

        public RegexDfa {
            if (maxTableSize != null && maxTableSize.isNegative()) {
                throw new IllegalArgumentException(
                        "spoe.policies.waf.regex-dfa.max-table-size must not be negative: " + maxTableSize);
            }
        }

        /** The engine's options. */
        public RegexOptions options() {
            return new RegexOptions(enabled, maxStates, maxTableSize.toBytes());
        }
    }

    /**
     * Rules removed for matching requests.
     *
     * @param host Host header value (without port) it applies to; empty for every host
     * @param pathPrefix raw path prefix it applies to; empty for every path
     * @param ruleIds rule ids removed
     * @param tags rule tags removed, e.g. {@code attack-sqli}
     */
    public record Exclusion(String host, String pathPrefix, @DefaultValue Set<Long> ruleIds,
            @DefaultValue Set<String> tags) {
    }
}
