package io.spoepolicy.policy.auth;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import com.nimbusds.jose.jwk.RSAKey;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.validation.beanvalidation.LocalValidatorFactoryBean;
import org.springframework.web.reactive.function.client.WebClient;

import io.spoepolicy.policy.resilience.GuardFactory;
import io.spoepolicy.policy.settings.PolicyBinder;
import io.spoepolicy.testsupport.Tokens;

/**
 * What the JWT policy's tests share, registered with {@code @RegisterExtension}: signing keys
 * (generated once per test class, RSA generation being slow) and a {@link JwtPolicy} built from
 * {@code spoe.policies.jwt.*} settings through the same binding and validation as the service.
 */
final class JwtFixture implements AfterAllCallback {

    private final RSAKey key1 = Tokens.rsaKey("k1");
    private final RSAKey key2 = Tokens.rsaKey("k2");
    private final RSAKey impostor = Tokens.rsaKey("k1");
    private final LocalValidatorFactoryBean validator = new LocalValidatorFactoryBean();

    JwtFixture() {
        validator.afterPropertiesSet();
    }

    RSAKey key1() {
        return key1;
    }

    RSAKey key2() {
        return key2;
    }

    /** Another key under {@link #key1()}'s kid: what it signs must fail verification, not find no key. */
    RSAKey impostor() {
        return impostor;
    }

    /** @param config settings below {@code spoe.policies.jwt.} */
    JwtPolicy build(Map<String, String> config, GuardFactory guards, Clock clock) {
        Map<String, String> prefixed = new HashMap<>();
        config.forEach((key, value) -> prefixed.put("spoe.policies.jwt." + key, value));
        PolicyBinder binder = new PolicyBinder(new Binder(new MapConfigurationPropertySource(prefixed)), validator);
        return (JwtPolicy) new JwtFamily(WebClient.create(), guards, clock).build(binder).orElseThrow();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        validator.close();
    }
}
