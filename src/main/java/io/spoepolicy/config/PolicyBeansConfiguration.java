package io.spoepolicy.config;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.spoepolicy.policy.access.IpAccessFamily;

/**
 * The built-in policy families. Each is always present and builds its policy only when its
 * {@code spoe.policies.<name>.enabled} property is true, at startup and on every reload
 * ({@code config/policies}).
 */
@Configuration(proxyBeanMethods = false)
public class PolicyBeansConfiguration {

    @Bean
    IpAccessFamily ipAccessFamily() {
        return new IpAccessFamily();
    }
}
