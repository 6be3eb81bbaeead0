package io.spoepolicy.policy.access;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.spoepolicy.policy.Decision;
import io.spoepolicy.policy.DescribedPolicy;
import io.spoepolicy.policy.PolicyRequest;
import io.spoepolicy.policy.SyncSpoePolicy;
import io.spoepolicy.policy.scope.ScopeSelector;
import io.spoepolicy.policy.settings.PolicyConfigurationException;
import io.spoepolicy.policy.settings.ScopeBinding;

/**
 * Allows, denies or trusts by client address, with allow, deny and trusted networks (IPv4 and
 * IPv6, inline or from files) resolved by longest-prefix match: a /32 allow inside a /8 deny is
 * allowed. A trusted network answers {@link Decision#bypass}, so the later policies (JWT, rate
 * limits …) are skipped for it. Scopes give other rules to some hosts or paths. A lookup is a trie
 * walk of at most 128 steps, so it runs inline on the event loop.
 */
public final class IpAccessPolicy implements SyncSpoePolicy, DescribedPolicy {

    public static final String NAME = "ip-access";
    static final String PREFIX = "spoe.policies.ip-access";

    private final IpAccessProperties properties;
    private final ScopeSelector<IpRules> rules;
    private final List<Path> files = new ArrayList<>();

    /**
     * Compiles the lists and reads the files.
     *
     * @throws PolicyConfigurationException naming the property of a bad entry or unreadable file
     */
    public IpAccessPolicy(IpAccessProperties properties) {
        this.properties = properties;
        IpRules top = new IpRules(PREFIX, new IpRules.Lists(properties.allow(), properties.deny(),
                properties.trusted(), properties.allowFiles(), properties.denyFiles(), properties.trustedFiles()),
                properties.defaultAction(), properties.denyStatus());
        this.rules = ScopeBinding.select(PREFIX, top, properties.scopes(), (prefix, i, scope, where) ->
                new IpRules(prefix, new IpRules.Lists(
                        or(scope.allow(), properties.allow()), or(scope.deny(), properties.deny()),
                        or(scope.trusted(), properties.trusted()), or(scope.allowFiles(), properties.allowFiles()),
                        or(scope.denyFiles(), properties.denyFiles()),
                        or(scope.trustedFiles(), properties.trustedFiles())),
                        scope.defaultAction() != null ? scope.defaultAction() : properties.defaultAction(),
                        scope.denyStatus() != null ? scope.denyStatus() : properties.denyStatus()));
        files.addAll(top.files());
        for (ScopeSelector.Scoped<IpRules> scoped : rules.entries()) {
            files.addAll(scoped.value().files());
        }
    }

    private static <T> List<T> or(List<T> value, List<T> fallback) {
        return value != null ? value : fallback;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Lookups in memory: no side effect. */
    @Override
    public boolean warmsUp() {
        return true;
    }

    @Override
    public boolean inline() {
        return true;
    }

    @Override
    public Decision decide(PolicyRequest request) {
        return rules.select(request).decide(request.address(properties.argument()));
    }

    /** The list files this policy read, for change detection. */
    public List<Path> files() {
        return List.copyOf(files);
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("argument", properties.argument());
        summary.put("denyNetworks", properties.deny().size());
        summary.put("allowNetworks", properties.allow().size());
        summary.put("trustedNetworks", properties.trusted().size());
        summary.put("scopes", properties.scopes().size());
        summary.put("defaultAction", properties.defaultAction().name().toLowerCase(Locale.ROOT));
        summary.put("denyStatus", properties.denyStatus());
        return summary;
    }
}
