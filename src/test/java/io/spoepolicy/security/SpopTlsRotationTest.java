package io.spoepolicy.security;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;

import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.spoepolicy.server.SpoeServer;
import io.spoepolicy.testkit.MessageBuilder;
import io.spoepolicy.testkit.SpopTestClient;
import io.spoepolicy.testsupport.TestCertificates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A certificate rotated on disk (as cert-manager or a secret update does it) is served to new
 * SPOP connections without a restart, through the SSL bundle's {@code reload-on-update}.
 */
@SpringBootTest(properties = {"spoe.server.port=0", "server.port=0", "spoe.server.host=127.0.0.1",
        "spoe.server.ssl.bundle=spop", "spoe.server.ssl.client-auth=need",
        "spring.ssl.bundle.pem.spop.reload-on-update=true", "spring.ssl.bundle.watch.file.quiet-period=200ms"})
class SpopTlsRotationTest {

    static final TestCertificates PKI = TestCertificates.create();

    @DynamicPropertySource
    static void bundle(DynamicPropertyRegistry registry) {
        PKI.registerServerBundle("spop", registry);
    }

    /**
     * The keys go when the context closes, after its SSL file watcher (an auto-configured bean,
     * destroyed first), which would otherwise report the deleted files.
     */
    @TestConfiguration(proxyBeanMethods = false)
    static class KeyCleanup {
        @Bean
        DisposableBean removeTestKeys() {
            return PKI::close;
        }
    }

    @Autowired
    SpoeServer server;

    @Test
    void rotatedCertificateIsServedToNewConnectionsWithoutRestart() throws IOException {
        X509Certificate before = peerCertificate();
        PKI.reissueServer();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> !peerCertificate().getSerialNumber().equals(before.getSerialNumber()));
        try (SpopTestClient client = SpopTestClient.connect(address(), PKI.clientSocketFactory("client"))) {
            client.handshake();
            assertThat(client.request(MessageBuilder.checkRequest().ip("10.0.0.1").build()).text("action"))
                    .isEqualTo("allow");
        }
    }

    private InetSocketAddress address() {
        return new InetSocketAddress("localhost", server.address().getPort());
    }

    private X509Certificate peerCertificate() throws IOException {
        try (SpopTestClient client = SpopTestClient.connect(address(), PKI.clientSocketFactory("client"))) {
            return (X509Certificate) ((SSLSocket) client.socket()).getSession().getPeerCertificates()[0];
        }
    }
}
