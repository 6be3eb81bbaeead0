package io.spoepolicy.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.spoepolicy.config.SpoePolicyProperties;
import io.spoepolicy.config.policies.ActivePolicies;
import io.spoepolicy.config.policies.PolicyGeneration;
import io.spoepolicy.policy.PolicyDispatcher;
import io.spoepolicy.policy.SpoePolicy;
import io.spoepolicy.policy.auth.JwtFamily;
import io.spoepolicy.policy.auth.JwtPolicy;
import io.spoepolicy.policy.waf.WafRules;
import io.spoepolicy.server.SessionRegistry;
import io.spoepolicy.server.SpoeServer;

/** Metrics, health, the {@code spoe} endpoint and the decision log. */
@Configuration(proxyBeanMethods = false)
public class ObservabilityConfiguration {

    @Bean
    SpopMetrics spopMetrics(MeterRegistry registry, SessionRegistry sessions, SpoePolicyProperties policies,
            ObservabilityProperties properties) {
        return new SpopMetrics(registry, sessions, policies.deadline(), properties.metrics().maxTagValues());
    }

    @Bean
    PolicyMetrics policyMetrics(MeterRegistry registry, ObservabilityProperties properties) {
        return new PolicyMetrics(registry, properties.metrics());
    }

    @Bean
    DrainMetrics drainMetrics(SpoeServer server) {
        return new DrainMetrics(server);
    }

    /**
     * Resolved on each scrape, not at binding: the family and the policies are built late (the
     * family's web client may itself want the meter registry).
     */
    @Bean
    JwtCacheMetrics jwtCacheMetrics(ObjectProvider<JwtFamily> family, ObjectProvider<ActivePolicies> active) {
        return new JwtCacheMetrics(() -> {
            JwtFamily jwt = family.getIfAvailable();
            return jwt == null ? null : jwt.tokenCacheCounts();
        }, () -> {
            ActivePolicies current = active.getIfAvailable();
            if (current != null) {
                for (SpoePolicy policy : current.current().policies()) {
                    if (policy instanceof JwtPolicy jwt) {
                        return jwt;
                    }
                }
            }
            return null;
        });
    }

    /** Resolved on each scrape, like the JWT caches: the WAF's rules exist only when it is on. */
    @Bean
    WafRegexDfaMetrics wafRegexDfaMetrics(ObjectProvider<WafRules> rules) {
        return new WafRegexDfaMetrics(() -> {
            WafRules loaded = rules.getIfAvailable();
            return loaded == null ? null : loaded.regexDfaCache();
        });
    }

    /** Named so that the health contributor is {@code spop}. */
    @Bean
    SpopHealthIndicator spopHealthIndicator(SpoeServer server) {
        return new SpopHealthIndicator(server);
    }

    @Bean
    SpoeEndpoint spoeEndpoint(SpoeServer server, PolicyDispatcher dispatcher, SpoePolicyProperties policies,
            ObjectProvider<ActivePolicies> active, ObservabilityProperties observability) {
        return new SpoeEndpoint(server, dispatcher, policies.deadline(), () -> {
            ActivePolicies current = active.getIfAvailable();
            if (current == null) {
                return null;
            }
            PolicyGeneration generation = current.current();
            return new SpoeEndpoint.Generation(generation.number(), generation.loadedAt().toString(),
                    generation.trigger());
        }, java.util.List.of(observability.metrics().ruleIdsVariable()));
    }

    @Bean
    @ConditionalOnBooleanProperty(name = "spoe.observability.decision-log.enabled", matchIfMissing = true)
    DecisionLog decisionLog(ObservabilityProperties properties) {
        return new DecisionLog(properties.decisionLog(), properties.metrics().ruleIdsVariable());
    }

    /** Reactor Netty's own TCP meters for the SPOP listener, without a tag per HAProxy peer. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty("spoe.observability.metrics.reactor-netty")
    static class ReactorNettyMetrics {

        @Bean
        SpoeServer.TcpServerCustomizer spopReactorNettyMetrics() {
            return tcp -> tcp.metrics(true);
        }

        @Bean
        MeterFilter reactorNettyRemoteAddressFilter() {
            return MeterFilter.ignoreTags("remote.address");
        }
    }
}
