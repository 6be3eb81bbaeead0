package io.spoepolicy.config.policies;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.validation.Validator;

import io.spoepolicy.policy.settings.PolicyBinder;
import io.spoepolicy.policy.settings.PolicyFamily;

/**
 * Re-reads the configuration and, when the policies it describes can all be built, swaps them in
 * at once. An unusable configuration (a wrong value, a bad network, an unreadable file …) is
 * rejected with the reason and the policies in use stay as they were. Reloads are serialized.
 */
public final class PolicyReloader {

    private static final Logger log = LoggerFactory.getLogger(PolicyReloader.class);

    private final ConfigSnapshotLoader loader;
    private final PolicyAssembler assembler;
    private final ActivePolicies active;
    private final Validator validator;
    private final AtomicReference<ReloadResult> last = new AtomicReference<>();

    PolicyReloader(ConfigSnapshotLoader loader, PolicyAssembler assembler, ActivePolicies active, Validator validator) {
        this.loader = loader;
        this.assembler = assembler;
        this.active = active;
        this.validator = validator;
    }

    public synchronized ReloadResult reload(String trigger) {
        PolicyGeneration current = active.current();
        ReloadResult result;
        try {
            ConfigurableEnvironment environment = loader.load();
            PolicyGeneration next = assembler.assemble(PolicyBinder.of(environment, validator), current.number() + 1,
                    trigger, ConfigSnapshotLoader.configFiles(environment));
            active.swap(next);
            result = new ReloadResult(true, next.number(), trigger, null, Instant.now());
            log.info("Policy configuration generation {} applied ({}): {}", next.number(), trigger,
                    next.chains().keySet().stream().map(message -> message + "=" + next.chains().get(message)
                            .stream().map(policy -> policy.name()).toList()).toList());
        }
        catch (RuntimeException ex) {
            String reason = ex.getMessage() != null ? ex.getMessage() : ex.toString();
            result = new ReloadResult(false, current.number(), trigger, reason, Instant.now());
            log.warn("Policy configuration rejected ({}), generation {} stays in use: {}", trigger,
                    current.number(), reason);
        }
        PolicyGeneration now = active.current();
        for (PolicyFamily family : assembler.families()) {
            try {
                family.retainOnly(now.policies());
            }
            catch (RuntimeException ex) {
                log.warn("Policy family '{}' failed to release unused resources", family.name(), ex);
            }
        }
        last.set(result);
        return result;
    }

    /** The last reload attempt, or {@code null} when none was made. */
    public ReloadResult lastResult() {
        return last.get();
    }

    public ActivePolicies active() {
        return active;
    }
}
