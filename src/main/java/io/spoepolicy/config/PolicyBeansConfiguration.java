package io.spoepolicy.config;

import java.time.Clock;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

import io.spoepolicy.policy.access.IpAccessFamily;
import io.spoepolicy.policy.auth.ApiKeyFamily;
import io.spoepolicy.policy.auth.JwtFamily;
import io.spoepolicy.policy.ratelimit.RateLimitFamily;
import io.spoepolicy.policy.resilience.GuardFactory;

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

    @Bean
    GuardFactory policyGuards(ObjectProvider<CircuitBreakerRegistry> breakers,
            ObjectProvider<TimeLimiterRegistry> limiters) {
        return new GuardFactory(breakers.getIfAvailable(), limiters.getIfAvailable());
    }

    @Bean
    JwtFamily jwtFamily(ObjectProvider<WebClient.Builder> webClient, GuardFactory policyGuards) {
        WebClient client = webClient.getIfAvailable(WebClient::builder).build();
        return new JwtFamily(client, policyGuards, Clock.systemUTC());
    }

    @Bean
    ApiKeyFamily apiKeyFamily() {
        return new ApiKeyFamily();
    }

    @Bean
    RateLimitFamily rateLimitFamily(GuardFactory policyGuards) {
        return new RateLimitFamily(policyGuards);
    }
}
