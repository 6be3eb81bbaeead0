package io.spoepolicy.config.policies;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

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
        assertThat(docs).contains("register-var-names action status reason policy agent_error user scopes "
                + "www_authenticate ratelimit_limit ratelimit_remaining ratelimit_reset ratelimit_retry_after "
                + "ratelimit_policy ratelimit_fallback detect_policy detect_reason detect_status");
    }
}
