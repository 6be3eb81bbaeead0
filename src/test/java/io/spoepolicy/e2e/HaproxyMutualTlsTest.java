package io.spoepolicy.e2e;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.spoepolicy.server.SpoeServer;
import io.spoepolicy.server.tls.SpopTls;
import io.spoepolicy.testsupport.FreePorts;
import io.spoepolicy.testsupport.HaproxyConfig;
import io.spoepolicy.testsupport.HaproxyProcess;
import io.spoepolicy.testsupport.HttpLoad;
import io.spoepolicy.testsupport.HttpLoadResult;
import io.spoepolicy.testsupport.QuickStart;
import io.spoepolicy.testsupport.RequiresHaproxy;
import io.spoepolicy.testsupport.ServerState;
import io.spoepolicy.testsupport.SpoeLogLine;
import io.spoepolicy.testsupport.TestCertificates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The quick-start HAProxy talking to the agent over mutual TLS: {@code ssl verify required ca-file
 * ... crt ...} on the agent server line, {@code spoe.server.ssl.client-auth=need} on the agent.
 * With its client certificate HAProxy gets every decision; without one, or with one from another
 * CA, the agent refuses the connection, the health check marks it DOWN and requests carry no
 * decision (fail-open here, 503 with the documented fail-closed rules).
 */
@RequiresHaproxy
// A policy deadline (4s) and "timeout processing" (5s where decisions are counted) far above the
// docs' 400ms and 500ms: every one of the 250 requests must get its decision, and on a loaded
// 2-core machine a starved agent would otherwise answer some with agent_error=timeout.
@SpringBootTest(properties = {"spoe.server.port=0", "server.port=0", "spoe.server.host=127.0.0.1",
        "spoe.server.ssl.bundle=spop", "spoe.server.ssl.client-auth=need", "spoe.policies.deadline=4s"})
class HaproxyMutualTlsTest {

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

    @Test
    void haproxyWithItsClientCertificateGetsEveryDecision() {
        int frontend = FreePorts.next();
        try (HaproxyProcess haproxy = HaproxyProcess.start(config(frontend, "crt " + PKI.haproxyBundle("client"))
                .replace(QuickStart.SPOE_FILE, "timeout processing 500ms", "timeout processing 5s", 1))) {
            haproxy.awaitServerState("be_spoe_agents", "agent1", ServerState.UP, Duration.ofSeconds(20));
            // The first events wait for HAProxy's SPOP connections (TCP, TLS, HELLO); on a loaded
            // machine that can exceed "timeout processing". Count decisions once connected.
            await().atMost(Duration.ofSeconds(20)).until(() -> HttpLoad.get(frontend, "/").hasHeader("x-policy-action"));
            int warmUp = haproxy.spoeStatuses().size();
            HttpLoadResult allowed = HttpLoad.to(frontend).path("/").connections(4).requests(200)
                    .capture("x-policy-action", "x-policy-error").run();
            HttpLoadResult denied = HttpLoad.to(frontend).from("127.0.0.2").path("/").connections(2).requests(50)
                    .capture("x-policy-action", "x-policy-error").run();

            assertThat(allowed.countStatus(200)).as("%s\n%s", allowed, haproxy.logTail(20)).isEqualTo(200);
            assertThat(allowed.headerCounts("x-policy-action")).as("errors %s, SPOE st= %s",
                    allowed.headerCounts("x-policy-error"), haproxy.spoeStatuses()).containsEntry("allow", 200L);
            assertThat(denied.countStatus(403)).as("%s", denied).isEqualTo(50);
            assertThat(denied.headerCounts("x-policy-action")).containsEntry("deny", 50L);
            // A bound for a busy machine.
            List<Integer> statuses = haproxy.awaitSpoeLines(warmUp + 250, Duration.ofSeconds(20)).stream()
                    .map(SpoeLogLine::status).toList();
            assertThat(statuses.subList(warmUp, statuses.size())).containsOnly(0);
            System.out.printf("[figures] mTLS with HAProxy %s: %d requests, %d decisions, %d TLS handshakes%n",
                    haproxy.version(), 250, 250 - allowed.countMissingHeader("x-policy-action")
                            - denied.countMissingHeader("x-policy-action"), tls.handshakes());
        }
    }

    @Test
    void haproxyWithoutAClientCertificateIsRefused() {
        assertRefused("");
    }

    @Test
    void haproxyWithACertificateFromAnotherCaIsRefused() {
        assertRefused("crt " + PKI.haproxyBundle("rogue-client"));
    }

    private void assertRefused(String clientCertificate) {
        long failuresBefore = tls.failedHandshakes();
        int frontend = FreePorts.next();
        try (HaproxyProcess haproxy = HaproxyProcess.start(config(frontend, clientCertificate))) {
            haproxy.awaitServerState("be_spoe_agents", "agent1", ServerState.DOWN, Duration.ofSeconds(20));
            HttpLoadResult result = HttpLoad.to(frontend).path("/").connections(2).requests(20)
                    .capture("x-policy-action", "x-policy-error").run();

            assertThat(result.countMissingHeader("x-policy-action")).as("%s", result).isEqualTo(20);
            assertThat(result.countMissingHeader("x-policy-error")).isZero();
            await().atMost(Duration.ofSeconds(20)).until(() -> tls.failedHandshakes() > failuresBefore);
            assertThat(server.registry().snapshot()).noneMatch(session -> session.engineId() != null);
            System.out.printf("[figures] mTLS refusal (%s): %d requests, 0 decisions, %d refused handshakes%n",
                    clientCertificate.isEmpty() ? "no client certificate" : "certificate from another CA",
                    20, tls.failedHandshakes() - failuresBefore);
        }
    }

    private HaproxyConfig config(int frontend, String clientCertificate) {
        String tlsOptions = " ssl verify required ca-file " + PKI.caCertificate() + " " + clientCertificate
                + " sni str(localhost) verifyhost localhost";
        // A TLS check does a handshake every second: give it more than "inter" on a loaded machine.
        return QuickStart.builder().frontendPort(frontend).agentPorts(server.address().getPort()).build()
                .replace(HaproxyConfig.MAIN_FILE, " check inter 1s fall 2 rise 1\n",
                        " check inter 1s fall 2 rise 1" + tlsOptions + "\n", 1)
                .replace(HaproxyConfig.MAIN_FILE, "    option spop-check\n", "    option spop-check\n    timeout check 5s\n", 1);
    }
}
