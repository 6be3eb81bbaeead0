package io.spoepolicy.config;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.spoepolicy.policy.access.IpAccessPolicy;
import io.spoepolicy.policy.access.IpAccessProperties;

/** The built-in policies, each switched on by its {@code enabled} property. */
@Configuration(proxyBeanMethods = false)
public class PolicyBeansConfiguration {

    @Bean
    @ConditionalOnBooleanProperty("spoe.policies.ip-access.enabled")
    IpAccessPolicy ipAccessPolicy(IpAccessProperties properties) {
        return new IpAccessPolicy(properties);
    }
}
