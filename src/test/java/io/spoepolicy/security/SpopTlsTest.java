package io.spoepolicy.security;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;


import javax.net.ssl.SSLSocketFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.spoepolicy.server.SpoeServer;
import io.spoepolicy.server.tls.ClientAuth;
import io.spoepolicy.server.tls.SpopTls;
import io.spoepolicy.testkit.AgentFrame;
import io.spoepolicy.testkit.MessageBuilder;
import io.spoepolicy.testkit.SpopTestClient;
import io.spoepolicy.testsupport.TestCertificates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Mutual TLS on the SPOP listener over real sockets: a client with a certificate from the
 * configured CA is served; one without a certificate, one with a certificate from another CA and
 * one speaking plain SPOP are all refused before any SPOP frame is exchanged.
 */
@SpringBootTest(properties = {"spoe.server.port=0", "server.port=0", "spoe.server.host=127.0.0.1",
        "spoe.server.ssl.bundle=spop", "spoe.server.ssl.client-auth=need", "spoe.server.hello-timeout=3s",
        "spoe.server.ssl.handshake-timeout=30s"})
@ExtendWith(OutputCaptureExtension.class)
class SpopTlsTest {

    static final TestCertificates PKI = TestCertificates.create();

    @DynamicPropertySource
    static void bundle(DynamicPropertyRegistry registry) {
        PKI.registerServerBundle("spop", registry);
    }

    @AfterAll
    static void removeKeys() {
        PKI.close();
    }

    @Autowired
    SpoeServer server;

    @Autowired
    SpopTls tls;

    private InetSocketAddress address() {
        // The certificate names localhost: connect by name, as HAProxy's verifyhost would check.
        return new InetSocketAddress("localhost", server.address().getPort());
    }

    @Test
    void clientWithACertificateFromTheTrustedCaIsServed() throws IOException {
        long before = tls.handshakes();
        try (SpopTestClient client = SpopTestClient.connect(address(), PKI.clientSocketFactory("client"))) {
            assertThat(client.handshake().version()).isEqualTo("2.0");
            AgentFrame.Ack allow = client.request(MessageBuilder.checkRequest().ip("10.0.0.1").path("/").build());
            assertThat(allow.text("action")).isEqualTo("allow");
            AgentFrame.Ack deny = client.request(MessageBuilder.checkRequest().ip("127.0.0.2").path("/").build());
            assertThat(deny.text("action")).isEqualTo("deny");
            assertThat(client.disconnect()).isInstanceOf(AgentFrame.Disconnect.class);
        }
        assertThat(tls.handshakes()).isGreaterThan(before);
        assertThat(tls.clientAuth()).isEqualTo(ClientAuth.NEED);
    }

    @Test
    void clientWithoutACertificateIsRefused() {
        assertRefused(PKI.clientSocketFactory(null));
    }

    @Test
    void clientWithACertificateFromAnotherCaIsRefused() {
        assertRefused(PKI.clientSocketFactory("rogue-client"));
    }

    @Test
    void plainSpopOnTheTlsPortIsRefusedQuietly(CapturedOutput output) throws IOException {
        long failures = tls.failedHandshakes();
        try (SpopTestClient client = SpopTestClient.connect("127.0.0.1", server.address().getPort())) {
            assertThatThrownBy(client::handshake).isInstanceOf(IOException.class);
            assertThat(client.awaitClose(Duration.ofSeconds(5))).isTrue();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> tls.failedHandshakes() > failures);
        // One line naming the problem; no stack trace, no "unexpected failure" from the session.
        assertThat(output.getOut()).doesNotContain("unexpected failure").doesNotContain("NotSslRecordException:");
    }

    @Test
    void peerThatNeverStartsTlsIsClosedByTheHelloDeadline() throws IOException {
        // The handshake timeout is 30 s here: only the 3 s HELLO deadline can close it this early.
        try (SpopTestClient client = SpopTestClient.connect("127.0.0.1", server.address().getPort())) {
            long start = System.nanoTime();
            assertThat(client.awaitClose(Duration.ofSeconds(15))).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void peerThatCompletesTlsButSaysNothingGetsADisconnect() throws IOException {
        try (SpopTestClient client = SpopTestClient.connect(address(), PKI.clientSocketFactory("client"))) {
            AgentFrame frame = client.receive();
            assertThat(frame).isInstanceOfSatisfying(AgentFrame.Disconnect.class,
                    disconnect -> assertThat(disconnect.statusCode()).isEqualTo(2));
            assertThat(client.awaitClose(Duration.ofSeconds(10))).isTrue();
        }
    }

    private void assertRefused(SSLSocketFactory factory) {
        long failures = tls.failedHandshakes();
        // TLS 1.3 finishes the client's side before the server checks the certificate, so the
        // refusal shows on the first exchange at the latest; no AGENT-HELLO ever arrives.
        assertThatThrownBy(() -> {
            try (SpopTestClient client = SpopTestClient.connect(address(), factory)) {
                client.handshake();
            }
        }).isInstanceOf(IOException.class);
        // Counted when the agent's side of the handshake fails, which may come after the client's.
        await().atMost(Duration.ofSeconds(20)).until(() -> tls.failedHandshakes() > failures);
    }
}
