package io.spoepolicy.policy.settings;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.validation.beanvalidation.LocalValidatorFactoryBean;

import io.spoepolicy.policy.access.IpAccessProperties;
import io.spoepolicy.policy.auth.ApiKeyProperties;
import io.spoepolicy.policy.ratelimit.RateLimitProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolicyBinderTest {

    static LocalValidatorFactoryBean validator;

    @BeforeAll
    static void validator() {
        validator = new LocalValidatorFactoryBean();
        validator.afterPropertiesSet();
    }

    @AfterAll
    static void close() {
        validator.close();
    }

    @Test
    void bindsDefaultsWhenNothingIsSet() {
        RateLimitProperties properties = binder(Map.of()).bind("spoe.policies.rate-limit", RateLimitProperties.class);
        assertThat(properties.enabled()).isFalse();
        assertThat(properties.limit()).isEqualTo(100);
        assertThat(properties.redis().fallback()).isEqualTo(RateLimitProperties.Fallback.LOCAL);
        PolicySettings settings = binder(Map.of()).bind("spoe.policies.anything", PolicySettings.class);
        assertThat(settings.isDefault()).isTrue();
    }

    @Test
    void bindsModesScopesAndKebabCaseEnums() {
        PolicySettings settings = binder(Map.of("spoe.policies.jwt.mode", "detect-only",
                "spoe.policies.jwt.scopes[0].hosts", "*.example.com",
                "spoe.policies.jwt.scopes[0].enabled", "false",
                "spoe.policies.jwt.messages", "check-request,check-client"))
                .bind("spoe.policies.jwt", PolicySettings.class);
        assertThat(settings.mode()).isEqualTo(PolicyMode.DETECT_ONLY);
        assertThat(settings.messages()).containsExactly("check-request", "check-client");
        assertThat(settings.scopes().get(0).enabled()).isFalse();
        assertThat(settings.scopes().get(0).mode()).isNull();
    }

    @Test
    void validationFailuresNameTheProperty() {
        assertThatThrownBy(() -> binder(Map.of("spoe.policies.rate-limit.limit", "0"))
                .bind("spoe.policies.rate-limit", RateLimitProperties.class))
                .isInstanceOf(PolicyConfigurationException.class)
                .hasMessageStartingWith("spoe.policies.rate-limit.limit: must be greater than or equal to 1")
                .extracting(ex -> ((PolicyConfigurationException) ex).property())
                .isEqualTo("spoe.policies.rate-limit.limit");
        assertThatThrownBy(() -> binder(Map.of("spoe.policies.ip-access.deny-status", "1000"))
                .bind("spoe.policies.ip-access", IpAccessProperties.class))
                .hasMessageStartingWith("spoe.policies.ip-access.deny-status: must be less than or equal to 599");
        assertThatThrownBy(() -> binder(Map.of("spoe.policies.api-key.keys[0].id", "a",
                "spoe.policies.api-key.keys[0].sha256", "xyz"))
                .bind("spoe.policies.api-key", ApiKeyProperties.class))
                .hasMessageContaining("spoe.policies.api-key.keys[0].hash-or-value")
                .hasMessageContaining("set exactly one of sha256");
    }

    @Test
    void conversionFailuresNameThePropertyAndValue() {
        assertThatThrownBy(() -> binder(Map.of("spoe.policies.ip-access.mode", "sometimes"))
                .bind("spoe.policies.ip-access", PolicySettings.class))
                .isInstanceOf(PolicyConfigurationException.class)
                .hasMessageStartingWith("spoe.policies.ip-access.mode: cannot use value 'sometimes'");
        assertThatThrownBy(() -> binder(Map.of("spoe.policies.rate-limit.period", "fortnight"))
                .bind("spoe.policies.rate-limit", RateLimitProperties.class))
                .hasMessageStartingWith("spoe.policies.rate-limit.period: cannot use value 'fortnight'");
    }

    private static PolicyBinder binder(Map<String, String> properties) {
        return new PolicyBinder(new Binder(new MapConfigurationPropertySource(properties)), validator);
    }
}
