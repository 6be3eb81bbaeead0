package io.spoepolicy.policy.settings;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import reactor.core.publisher.Mono;

import io.spoepolicy.policy.Decision;
import io.spoepolicy.policy.DecisionContract;
import io.spoepolicy.policy.DescribedPolicy;
import io.spoepolicy.policy.PolicyRequest;
import io.spoepolicy.policy.SpoePolicy;
import io.spoepolicy.policy.SyncSpoePolicy;
import io.spoepolicy.policy.Verdict;
import io.spoepolicy.policy.scope.Scope;
import io.spoepolicy.policy.scope.ScopeSelector;

/**
 * Applies {@link PolicySettings} around any policy, without the policy knowing: the messages it
 * is registered for, scopes that switch it off, and detect-only mode, which turns a deny into an
 * allow that carries {@code detect_*} variables. The dispatcher sees an ordinary policy with the
 * same name. Use {@link #wrap} so that synchronous policies stay synchronous (and inline).
 */
public class ManagedPolicy implements SpoePolicy, DescribedPolicy {

    final SpoePolicy delegate;
    private final Set<String> messages;
    private final ScopeSelector<EffectiveSettings> scopes;
    private final PolicySettings settings;

    ManagedPolicy(SpoePolicy delegate, PolicySettings settings) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.settings = settings;
        this.messages = settings.messages().isEmpty() ? delegate.messages() : Set.copyOf(settings.messages());
        EffectiveSettings base = new EffectiveSettings(true, settings.mode());
        List<ScopeSelector.Scoped<EffectiveSettings>> entries = new ArrayList<>();
        for (PolicySettings.ScopeSettings scope : settings.scopes()) {
            entries.add(new ScopeSelector.Scoped<>(Scope.of(scope.hosts(), scope.paths()),
                    new EffectiveSettings(scope.enabled() == null || scope.enabled(),
                            scope.mode() == null ? settings.mode() : scope.mode())));
        }
        this.scopes = new ScopeSelector<>(base, entries);
    }

    /**
     * The policy with its settings applied; the policy itself when the settings change nothing.
     *
     * @throws IllegalArgumentException when a scope's host or path is malformed
     */
    public static SpoePolicy wrap(SpoePolicy policy, PolicySettings settings) {
        if (settings.isDefault()) {
            return policy;
        }
        return policy instanceof SyncSpoePolicy sync ? new Sync(sync, settings) : new ManagedPolicy(policy, settings);
    }

    /** The wrapped policy. */
    public SpoePolicy delegate() {
        return delegate;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public Set<String> messages() {
        return messages;
    }

    @Override
    public Set<String> variables() {
        return delegate.variables();
    }

    @Override
    public boolean warmsUp() {
        return delegate.warmsUp();
    }

    @Override
    public Mono<Decision> evaluate(PolicyRequest request) {
        EffectiveSettings effective = scopes.select(request);
        if (!effective.enabled()) {
            return Mono.just(Decision.allow());
        }
        Mono<Decision> decision = delegate.evaluate(request);
        return effective.mode() == PolicyMode.DETECT_ONLY ? decision.map(this::detectOnly) : decision;
    }

    Decision detectOnly(Decision decision) {
        if (decision == null || decision.verdict() == Verdict.ALLOW) {
            return decision;
        }
        Decision allowed = new Decision(Verdict.ALLOW, 0, "", decision.variables());
        if (decision.verdict() != Verdict.DENY) {
            return allowed;
        }
        return allowed.withVariable(DecisionContract.DETECT_POLICY, name())
                .withVariable(DecisionContract.DETECT_REASON, decision.reason())
                .withVariable(DecisionContract.DETECT_STATUS, decision.status());
    }

    /** The wrapped policy's own summary, plus its mode and scope count. */
    @Override
    public Map<String, Object> describe() {
        Map<String, Object> summary = new LinkedHashMap<>();
        if (delegate instanceof DescribedPolicy described) {
            summary.putAll(described.describe());
        }
        summary.put("mode", settings.mode().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        summary.put("settingScopes", settings.scopes().size());
        return summary;
    }

    EffectiveSettings effective(PolicyRequest request) {
        return scopes.select(request);
    }

    @Override
    public String toString() {
        return "ManagedPolicy[" + delegate.name() + "]";
    }

    /** The synchronous variant: keeps {@link SyncSpoePolicy#inline()} and the scheduler hop. */
    static final class Sync extends ManagedPolicy implements SyncSpoePolicy {

        private final SyncSpoePolicy sync;

        Sync(SyncSpoePolicy delegate, PolicySettings settings) {
            super(delegate, settings);
            this.sync = delegate;
        }

        @Override
        public Decision decide(PolicyRequest request) {
            EffectiveSettings effective = effective(request);
            if (!effective.enabled()) {
                return Decision.allow();
            }
            Decision decision = sync.decide(request);
            return effective.mode() == PolicyMode.DETECT_ONLY ? detectOnly(decision) : decision;
        }

        @Override
        public boolean inline() {
            return sync.inline();
        }

        @Override
        public Mono<Decision> evaluate(PolicyRequest request) {
            return Mono.fromSupplier(() -> decide(request));
        }
    }
}
