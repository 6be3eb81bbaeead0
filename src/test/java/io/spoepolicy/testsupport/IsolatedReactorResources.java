package io.spoepolicy.testsupport;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * Add to an application a test starts and closes itself ({@code new SpringApplicationBuilder(
 * SpoePolicyApplication.class, IsolatedReactorResources.class)}): its HTTP servers then run on
 * their own Reactor Netty resources. With Boot's default global resources, closing that
 * application would also stop the HTTP servers (Actuator) of every context the Spring test
 * framework keeps cached in the same JVM.
 */
@Configuration(proxyBeanMethods = false)
public class IsolatedReactorResources {

    @Bean
    ReactorResourceFactory reactorResourceFactory() {
        ReactorResourceFactory factory = new ReactorResourceFactory();
        factory.setUseGlobalResources(false);
        return factory;
    }
}
