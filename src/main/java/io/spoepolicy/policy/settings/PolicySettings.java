package io.spoepolicy.policy.settings;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What every policy, built-in or user bean, can be told by configuration under
 * {@code spoe.policies.<policy-name>}: which messages it handles, its mode, and scopes that switch
 * it off or change its mode for some hosts or paths. Policy families read their own rules from
 * the same {@code scopes} entries.
 *
 * @param mode {@code enforce} or {@code detect-only}
 * @param messages SPOE message names the policy handles; empty keeps the policy's own
 * @param scopes host and path scopes; the most specific match wins
 */
public record PolicySettings(
        @DefaultValue("enforce") @NotNull PolicyMode mode,
        @DefaultValue List<String> messages,
        @DefaultValue List<@Valid @NotNull ScopeSettings> scopes) {

    public static final PolicySettings DEFAULT = new PolicySettings(PolicyMode.ENFORCE, List.of(), List.of());

    public PolicySettings {
        messages = messages == null ? List.of() : List.copyOf(messages);
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
    }

    /** Whether these settings change anything about a policy. */
    public boolean isDefault() {
        return mode == PolicyMode.ENFORCE && messages.isEmpty() && scopes.isEmpty();
    }

    /**
     * The generic part of one scope entry; the rest of the entry is read by the policy family.
     *
     * @param name optional label, used in logs and as the rate-limit bucket name
     * @param hosts host patterns ({@code api.example.com}, {@code *.example.com}, {@code *})
     * @param paths path prefixes ({@code /admin})
     * @param enabled {@code false} switches the policy off in this scope; unset keeps it on
     * @param mode the mode in this scope; unset keeps the policy's mode
     */
    public record ScopeSettings(String name, List<String> hosts, List<String> paths, Boolean enabled,
            PolicyMode mode) {
    }
}
