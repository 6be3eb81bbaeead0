package io.spoepolicy.policy.access;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import io.spoepolicy.policy.settings.ConfiguredPolicyFamily;
import io.spoepolicy.policy.settings.ScopeBinding;

/**
 * The IP access policy ({@code spoe.policies.ip-access.*}). Addresses are matched against all
 * lists at once by longest prefix: the most specific network decides, whichever list it is in;
 * for the very same network, trusted beats allow beats deny.
 *
 * @param enabled whether the policy runs
 * @param allow networks (CIDR or single addresses, IPv4 and IPv6) that are allowed
 * @param deny networks that are denied
 * @param defaultAction what happens to an address no entry covers: {@code allow}, or {@code deny}
 *        for an allow-list setup
 * @param denyStatus HTTP status HAProxy denies with
 * @param argument the message argument holding the client address
 * @param trusted networks that are allowed and skip every later policy (bypass)
 * @param allowFiles files with more allowed networks, one per line, {@code #} comments
 * @param denyFiles files with more denied networks
 * @param trustedFiles files with more trusted networks
 * @param scopes rules for some hosts or paths; the most specific match replaces the lists and
 *        settings above, field by field (an unset field keeps the top-level value)
 */
@Validated
@ConfigurationProperties("spoe.policies.ip-access")
public record IpAccessProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue List<String> allow,
        @DefaultValue List<String> deny,
        @DefaultValue("allow") @NotNull DefaultAction defaultAction,
        @DefaultValue("403") @Min(100) @Max(599) int denyStatus,
        @DefaultValue("ip") @NotNull String argument,
        @DefaultValue List<String> trusted,
        @DefaultValue List<String> allowFiles,
        @DefaultValue List<String> denyFiles,
        @DefaultValue List<String> trustedFiles,
        @DefaultValue List<@Valid @NotNull Scope> scopes) implements ConfiguredPolicyFamily.Switchable {

    @ConstructorBinding
    public IpAccessProperties {
        allow = nonNull(allow);
        deny = nonNull(deny);
        trusted = nonNull(trusted);
        allowFiles = nonNull(allowFiles);
        denyFiles = nonNull(denyFiles);
        trustedFiles = nonNull(trustedFiles);
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
    }

    /** The original form, without trusted networks, files or scopes. */
    public IpAccessProperties(boolean enabled, List<String> allow, List<String> deny, DefaultAction defaultAction,
            int denyStatus, String argument) {
        this(enabled, allow, deny, defaultAction, denyStatus, argument, List.of(), List.of(), List.of(), List.of(),
                List.of());
    }

    private static List<String> nonNull(List<String> list) {
        return list == null ? List.of() : List.copyOf(list);
    }

    public enum DefaultAction {
        ALLOW,
        DENY
    }

    /**
     * Rules for some hosts or paths ({@code spoe.policies.ip-access.scopes[n].*}); unset fields
     * keep the top-level value.
     *
     * @param name label for logs
     * @param hosts host patterns
     * @param paths path prefixes
     */
    public record Scope(String name, List<String> hosts, List<String> paths, List<String> allow,
            List<String> deny, List<String> trusted, List<String> allowFiles, List<String> denyFiles,
            List<String> trustedFiles, DefaultAction defaultAction, @Min(100) @Max(599) Integer denyStatus)
            implements ScopeBinding.Entry {
    }
}
