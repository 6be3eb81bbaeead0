package io.spoepolicy.policy.waf.spring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.spoepolicy.policy.waf.InspectionLimits;
import io.spoepolicy.policy.waf.RuleExclusion;
import io.spoepolicy.policy.waf.WafEngine;
import io.spoepolicy.policy.waf.WafRules;
import io.spoepolicy.policy.waf.WafRulesLoader;
import io.spoepolicy.policy.waf.WafSettings;

/**
 * Wires the WAF policy when {@code spoe.policies.waf.enabled=true}: loads CRS or the built-in
 * rules once at startup (a broken rule directory fails startup with the path in the message),
 * logs what was skipped, and exposes the load report as the Actuator endpoint {@code waf}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("spoe.policies.waf.enabled")
public class WafPolicyConfiguration {

    private static final Logger log = LoggerFactory.getLogger(WafPolicyConfiguration.class);

    @Bean
    WafRules wafRules(WafProperties properties) {
        try {
            WafRules rules;
            if (properties.crsDir() != null) {
                if (!Files.isDirectory(properties.crsDir())) {
                    throw new IllegalStateException("spoe.policies.waf.crs-dir: not a directory: "
                            + properties.crsDir().toAbsolutePath());
                }
                rules = WafRulesLoader.crs(properties.crsDir(), properties.extraRuleFiles(),
                        properties.regexDfa().options());
            }
            else {
                rules = WafRulesLoader.builtIn(properties.extraRuleFiles(), properties.regexDfa().options());
            }
            log.info("WAF rules: {}", rules.report().summary());
            rules.report().degraded().forEach(d -> log.debug("WAF rule {} at {}: {}", d.ruleId(), d.source(), d.reason()));
            return rules;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("spoe.policies.waf: cannot load rules: " + ex.getMessage(), ex);
        }
    }

    @Bean
    WafEngine wafEngine(WafRules rules, WafProperties properties) {
        return new WafEngine(rules, settings(properties));
    }

    @Bean
    WafPolicy wafPolicy(WafEngine engine, WafProperties properties) {
        return new WafPolicy(engine, properties.denyStatus(), properties.exportMessage(),
                properties.denyPartialInspection());
    }

    @Bean
    @ConditionalOnClass(Endpoint.class)
    WafEndpoint wafEndpoint(WafRules rules, WafProperties properties) {
        return new WafEndpoint(rules.report(), properties, rules.regexDfaCache());
    }

    static WafSettings settings(WafProperties p) {
        List<RuleExclusion> exclusions = new ArrayList<>();
        for (WafProperties.Exclusion e : p.exclusions()) {
            exclusions.add(new RuleExclusion(e.host(), e.pathPrefix(), e.ruleIds(), e.tags()));
        }
        return new WafSettings(p.paranoiaLevel(), p.inboundThreshold(), p.detectOnly(),
                new InspectionLimits(p.maxBodyBytes(), p.maxArgs(), p.timeBudget()), exclusions,
                p.txVariables());
    }
}
