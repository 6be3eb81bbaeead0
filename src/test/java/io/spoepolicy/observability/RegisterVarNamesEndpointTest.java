package io.spoepolicy.observability;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

import io.spoepolicy.policy.Decision;
import io.spoepolicy.policy.DecisionContract;
import io.spoepolicy.policy.PolicyRequest;
import io.spoepolicy.policy.SyncSpoePolicy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code spoe} endpoint's {@code registerVarNames} is computed from the running configuration:
 * every built-in name, then the configured ones (a JWT claim variable, a custom rule-ids variable)
 * and those a custom policy declares. Every built-in policy is enabled, so a built-in declaring a
 * name missing from {@link DecisionContract#variableNames()} would show up as an extra name.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spoe.server.port=0", "server.port=0", "management.server.port=0", "spoe.server.host=127.0.0.1",
        "spoe.policies.ip-access.enabled=true",
        "spoe.policies.api-key.enabled=true", "spoe.policies.api-key.keys[0].id=billing",
        "spoe.policies.api-key.keys[0].value=ak-test-0123456789",
        "spoe.policies.jwt.enabled=true", "spoe.policies.jwt.algorithms=HS256",
        "spoe.policies.jwt.claim-variables.tenant=tenant_id",
        "spoe.policies.rate-limit.enabled=true",
        "spoe.policies.waf.enabled=true", "spoe.policies.waf.export-message=true",
        "spoe.observability.metrics.rule-ids-variable=crs_rules"})
@Import(RegisterVarNamesEndpointTest.CustomPolicy.class)
class RegisterVarNamesEndpointTest {

    @DynamicPropertySource
    static void keys(DynamicPropertyRegistry registry) {
        OctetSequenceKey key = new OctetSequenceKey.Builder(
                "test-secret-0123456789abcdef-0123".getBytes(StandardCharsets.US_ASCII)).keyID("k").build();
        registry.add("spoe.policies.jwt.jwk-set", () -> new JWKSet(key).toString(false));
    }

    @LocalManagementPort
    int managementPort;

    @Test
    void showsTheLineForTheRunningConfiguration() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/actuator/spoe"))
                        .timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        var policies = JsonMapper.builder().build().readTree(response.body()).get("policies");
        assertThat(policies.get("chains").get("check-request").toString())
                .contains("ip-access", "api-key", "jwt", "rate-limit", "waf", "custom");

        List<String> names = Arrays.asList(policies.get("registerVarNames").asString().split(" "));
        List<String> builtIn = DecisionContract.variableNames();
        assertThat(names.subList(0, builtIn.size())).isEqualTo(builtIn);
        assertThat(names.subList(builtIn.size(), names.size()))
                .containsExactlyInAnyOrder("crs_rules", "tenant_id", "custom_var");
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class CustomPolicy {

        @Bean
        SyncSpoePolicy customVariablePolicy() {
            return new SyncSpoePolicy() {
                @Override
                public String name() {
                    return "custom";
                }

                @Override
                public Set<String> variables() {
                    return Set.of("custom_var", DecisionContract.USER);
                }

                @Override
                public Decision decide(PolicyRequest request) {
                    return Decision.allow().withVariable("custom_var", "1");
                }
            };
        }
    }
}
