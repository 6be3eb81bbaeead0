package io.spoepolicy.policy.access;

import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The IP access policy ({@code spoe.policies.ip-access.*}).
 *
 * @param enabled whether the policy runs
 * @param allow networks (CIDR or single addresses, IPv4 and IPv6) that are allowed
 * @param deny networks that are denied
 * @param defaultAction what happens to an address no entry covers: {@code allow}, or {@code deny}
 *        for an allow-list setup
 * @param denyStatus HTTP status HAProxy denies with
 * @param argument the message argument holding the client address
 */
@Validated
@ConfigurationProperties("spoe.policies.ip-access")
public record IpAccessProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue List<String> allow,
        @DefaultValue List<String> deny,
        @DefaultValue("allow") @NotNull DefaultAction defaultAction,
        @DefaultValue("403") @Min(100) @Max(599) int denyStatus,
        @DefaultValue("ip") @NotNull String argument) {

    public enum DefaultAction {
        ALLOW,
        DENY
    }
}
