package io.spoepolicy.config.policies;


import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.validation.Validator;

import io.spoepolicy.policy.SpoePolicy;
import io.spoepolicy.policy.settings.PolicyBinder;
import io.spoepolicy.policy.settings.PolicyFamily;

/**
 * The policy configuration layer: builds the first generation from the startup configuration (a
 * failure stops startup with the property at fault), and offers reload through the
 * {@code policies} Actuator endpoint and, when {@code spoe.policies.reload.watch} is on, on file
 * changes.
 */
@Configuration(proxyBeanMethods = false)
public class PolicySuiteConfiguration {

    @Bean
    PolicyAssembler policyAssembler(ObjectProvider<PolicyFamily> families, ObjectProvider<SpoePolicy> beans) {
        return new PolicyAssembler(families.orderedStream().toList(), () -> beans.orderedStream().toList());
    }

    @Bean
    ActivePolicies activePolicies(PolicyAssembler assembler, ConfigurableEnvironment environment,
            ObjectProvider<Validator> validator) {
        PolicyBinder binder = PolicyBinder.of(environment, validator.getIfAvailable());
        return new ActivePolicies(assembler.assemble(binder, 1, "startup", ConfigSnapshotLoader.configFiles(environment)));
    }

    @Bean
    PolicyReloader policyReloader(ActivePolicies active, PolicyAssembler assembler, ConfigurableEnvironment environment,
            ResourceLoader resourceLoader, ObjectProvider<Validator> validator) {
        return new PolicyReloader(new ConfigSnapshotLoader(environment, resourceLoader), assembler, active,
                validator.getIfAvailable());
    }

    @Bean
    PoliciesEndpoint policiesEndpoint(PolicyReloader reloader) {
        return new PoliciesEndpoint(reloader);
    }

    @Bean
    @ConditionalOnBooleanProperty("spoe.policies.reload.watch")
    PolicyFileWatcher policyFileWatcher(PolicyReloader reloader, PolicyReloadProperties properties) {
        return new PolicyFileWatcher(reloader, properties.pollInterval());
    }
}
