package io.spoepolicy.config;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.spoepolicy.server.tls.SpopTls;

/**
 * TLS for the SPOP listener when {@code spoe.server.ssl.bundle} names an SSL bundle: a
 * {@link io.spoepolicy.server.SpoeServer.TcpServerCustomizer} bean, which {@link SpoeConfiguration}
 * applies before binding, and a reload hook so a rotated certificate needs no restart.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty("spoe.server.ssl.bundle")
public class SpoeTlsConfiguration {

    @Bean
    SpopTls spopTls(SpoeTlsProperties properties, SslBundles bundles) {
        String name = properties.bundle();
        SslBundle bundle;
        try {
            bundle = bundles.getBundle(name);
        }
        catch (NoSuchSslBundleException ex) {
            throw new IllegalStateException("spoe.server.ssl.bundle: no SSL bundle named '" + name
                    + "' (define spring.ssl.bundle.pem." + name + ".* or spring.ssl.bundle.jks." + name + ".*)", ex);
        }
        SpopTls tls = new SpopTls(name, bundle, properties.clientAuth(), properties.handshakeTimeout());
        bundles.addBundleUpdateHandler(name, tls::update);
        return tls;
    }
}
