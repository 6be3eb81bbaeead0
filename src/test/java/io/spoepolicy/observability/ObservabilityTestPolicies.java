package io.spoepolicy.observability;

import java.util.Set;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import io.spoepolicy.policy.Decision;
import io.spoepolicy.policy.PolicyRequest;
import io.spoepolicy.policy.SyncSpoePolicy;
import io.spoepolicy.testsupport.MessagePolicy;

/** Extra policies for the observability tests: one that overruns the deadline, one WAF-like. */
@TestConfiguration(proxyBeanMethods = false)
class ObservabilityTestPolicies {

    /** Sleeps {@code ms} milliseconds on the policy scheduler. */
    @Bean
    SyncSpoePolicy sleepyPolicy() {
        return new MessagePolicy.Sync("sleepy", request -> {
            try {
                Thread.sleep(request.integer("ms").orElse(0));
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            return Decision.allow();
        });
    }

    /** Denies like a WAF would, reporting the ids of the rules that matched. */
    @Bean
    SyncSpoePolicy ruleReportingPolicy() {
        return new SyncSpoePolicy() {
            @Override
            public String name() {
                return "waf-test";
            }

            @Override
            public Set<String> messages() {
                return Set.of("waf");
            }

            @Override
            public boolean inline() {
                return true;
            }

            @Override
            public Decision decide(PolicyRequest request) {
                return Decision.deny(403, "waf-block").withVariable("waf_rules", "942100 941110");
            }
        };
    }
}
