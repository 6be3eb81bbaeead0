package io.spoepolicy.policy.waf.spring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;

import io.spoepolicy.policy.waf.CrsTestSupport;
import io.spoepolicy.policy.waf.WafEngine;
import io.spoepolicy.policy.waf.WafRules;

/** Property binding, validation and the enabled switch of the WAF wiring. */
class WafPolicyConfigurationTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(WafProperties.class)
    static class Properties {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Properties.class, WafPolicyConfiguration.class);

    @Test
    void disabledByDefault() {
        runner.run(context -> assertThat(context).doesNotHaveBean(WafPolicy.class));
    }

    @Test
    void builtInRulesWhenNoCrsDirectoryIsSet() {
        runner.withPropertyValues("spoe.policies.waf.enabled=true", "spoe.policies.waf.paranoia-level=2",
                        "spoe.policies.waf.exclusions[0].path-prefix=/admin/",
                        "spoe.policies.waf.exclusions[0].tags=attack-xss")
                .run(context -> {
                    assertThat(context).hasSingleBean(WafPolicy.class).hasSingleBean(WafEndpoint.class);
                    WafEngine engine = context.getBean(WafEngine.class);
                    assertThat(engine.settings().paranoiaLevel()).isEqualTo(2);
                    assertThat(engine.settings().exclusions()).hasSize(1);
                    assertThat(context.getBean(WafEndpoint.class).report()).containsEntry("ruleSource", "built-in")
                            .containsEntry("regexDfaCache", new io.spoepolicy.policy.waf.regex.dfa.LazyDfaStats.Snapshot(0, 0, 0));
                });
    }

    @Test
    void loadsCrsFromTheConfiguredDirectory() {
        runner.withPropertyValues("spoe.policies.waf.enabled=true",
                        "spoe.policies.waf.crs-dir=" + CrsTestSupport.crs().toAbsolutePath())
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat((int) context.getBean(WafEndpoint.class).report().get("rulesLoaded")).isGreaterThan(400);
                });
    }

    @Test
    void rejectsInvalidSettings() {
        runner.withPropertyValues("spoe.policies.waf.enabled=true", "spoe.policies.waf.paranoia-level=5")
                .run(context -> assertThat(context).hasFailed());
        runner.withPropertyValues("spoe.policies.waf.enabled=true", "spoe.policies.waf.crs-dir=/nonexistent/crs")
                .run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining("crs-dir"));
    }

    @Test
    void regexDfaSettings() {
        runner.withPropertyValues("spoe.policies.waf.enabled=true")
                .run(context -> {
                    io.spoepolicy.policy.waf.WafRegexReport regex = context.getBean(WafRules.class).report().regex();
                    assertThat(regex.dfaEnabled()).isTrue();
                    assertThat(regex.exactDfa() + regex.boundDfa()).isEqualTo(regex.patterns()).isPositive();
                });
        runner.withPropertyValues("spoe.policies.waf.enabled=true", "spoe.policies.waf.regex-dfa.enabled=false")
                .run(context -> assertThat(context.getBean(WafRules.class).report().regex().dfaEnabled()).isFalse());
        runner.withPropertyValues("spoe.policies.waf.enabled=true", "spoe.policies.waf.regex-dfa.max-states=0")
                .run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining("regexDfa.maxStates"));
        runner.withPropertyValues("spoe.policies.waf.enabled=true", "spoe.policies.waf.regex-dfa.max-table-size=-1KB")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("spoe.policies.waf.regex-dfa.max-table-size"));
    }
}
