package io.spoepolicy.security;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;

import io.spoepolicy.config.SpoeTlsConfiguration;
import io.spoepolicy.config.SpoeTlsProperties;
import io.spoepolicy.server.tls.ClientAuth;
import io.spoepolicy.server.tls.SpopTls;
import io.spoepolicy.testsupport.TestCertificates;

import static org.assertj.core.api.Assertions.assertThat;

/** Wrong TLS settings fail startup with a message naming the property to fix. */
class TlsPropertiesTest {

    static final TestCertificates PKI = TestCertificates.create();

    @AfterAll
    static void removeKeys() {
        PKI.close();
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, ValidationAutoConfiguration.class))
            .withUserConfiguration(Properties.class, SpoeTlsConfiguration.class);

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(SpoeTlsProperties.class)
    static class Properties {
    }

    @Test
    void noBundleMeansNoTls() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(SpopTls.class));
    }

    @Test
    void aBundleEnablesTlsWithTheChosenClientAuthentication() {
        runner.withPropertyValues(bundle("spop", true)).withPropertyValues("spoe.server.ssl.bundle=spop",
                "spoe.server.ssl.client-auth=want").run(context -> {
                    assertThat(context).hasSingleBean(SpopTls.class);
                    assertThat(context.getBean(SpopTls.class).clientAuth()).isEqualTo(ClientAuth.WANT);
                });
    }

    @Test
    void clientAuthenticationWithoutABundleFails() {
        runner.withPropertyValues("spoe.server.ssl.client-auth=need").run(context ->
                assertThat(context).getFailure().rootCause().hasMessageContaining("spoe.server.ssl.client-auth")
                        .hasMessageContaining("spoe.server.ssl.bundle"));
    }

    @Test
    void anUnknownBundleFails() {
        runner.withPropertyValues("spoe.server.ssl.bundle=nope").run(context ->
                assertThat(context).getFailure().hasStackTraceContaining("spoe.server.ssl.bundle: no SSL bundle named 'nope'"));
    }

    @Test
    void mutualTlsWithoutATrustStoreFails() {
        runner.withPropertyValues(bundle("spop", false)).withPropertyValues("spoe.server.ssl.bundle=spop",
                "spoe.server.ssl.client-auth=need").run(context ->
                        assertThat(context).getFailure().hasStackTraceContaining("needs a trust store in SSL bundle 'spop'"));
    }

    private static String[] bundle(String name, boolean withTrustStore) {
        return PKI.serverBundleProperties(name).stream()
                .filter(property -> withTrustStore || !property.contains(".truststore."))
                .toArray(String[]::new);
    }
}
