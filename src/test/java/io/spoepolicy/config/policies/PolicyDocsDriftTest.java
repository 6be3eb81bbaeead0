package io.spoepolicy.config.policies;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.spoepolicy.policy.DecisionContract;
import io.spoepolicy.testsupport.HaproxyConfig;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/policies.md shows exactly the HAProxy rules the end-to-end tests run. */
class PolicyDocsDriftTest {

    @Test
    void docsShowTheTestedRules() throws Exception {
        String docs = Files.readString(Path.of("docs/policies.md"));
        String rules = HaproxyConfig.fromClasspath("haproxy", "haproxy.cfg", "policy-rules.cfg").files()
                .get("policy-rules.cfg");
        assertThat(docs).contains(rules);
        assertThat(docs).contains("register-var-names "
                + DecisionContract.registerVarNames(DecisionContract.variableNames()) + "\n");
    }
}
