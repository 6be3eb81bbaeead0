package io.spoepolicy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.spoepolicy.testsupport.FreePorts;
import io.spoepolicy.testsupport.HaproxyBinary;
import io.spoepolicy.testsupport.HaproxyConfig;
import io.spoepolicy.testsupport.HaproxyProcess;
import io.spoepolicy.testsupport.HttpLoad;
import io.spoepolicy.testsupport.HttpOutcome;
import io.spoepolicy.testsupport.QuickStart;
import io.spoepolicy.testsupport.RequiresHaproxy;
import io.spoepolicy.testsupport.ServerState;
import io.spoepolicy.testsupport.SpoeLogLine;
import io.spoepolicy.testsupport.SpringAgent;

/**
 * The Kubernetes configurations of {@code docs/haproxy/} (headless Service, its 3.1 variant,
 * sidecar) carry real traffic, not only {@code haproxy -c}: each file pair runs in master-worker
 * mode (as the headers tell users) in front of an agent, decides, survives a reload and still
 * decides. The 3.1 variant ({@code mode spop}) needs HAProxy 3.1+ and is skipped on older
 * versions, where {@code DocsConfigValidityTest} checks it with {@code mode tcp} written instead.
 *
 * <p>Only what a cluster provides is replaced, each literal exactly once so a docs change that
 * breaks a replacement fails here: the bind address, the application backend (answers itself),
 * the agent's address (the headless Service's SRV name becomes a static address, one slot), and
 * two response headers that expose the outcome. {@code timeout processing} becomes 5s because
 * this shared build machine runs at load averages above 20, where 500ms measures CPU starvation,
 * not the configuration.
 */
@RequiresHaproxy
class KubernetesDocsConfigThroughHaproxyTest {

    private static final Path DOCS = QuickStartDriftTest.DOCS;
    private static final String BACKEND = "be_spoe_agents";
    private static final String APP_ANSWERS_ITSELF = "    http-request return status 200 content-type text/plain string \"ok\\n\"\n";

    private static SpringAgent agent;

    @BeforeAll
    static void startAgent() {
        agent = SpringAgent.start("k8s-docs", FreePorts.next());
    }

    @AfterAll
    static void stopAgent() {
        if (agent != null) {
            agent.close();
        }
    }

    @ParameterizedTest(name = "{0} + {1}")
    @CsvSource({
        "kubernetes-headless.cfg, kubernetes-spoe.conf, 2.6",
        "kubernetes-headless-3.1.cfg, kubernetes-spoe-3.1.conf, 3.1"})
    void headlessServiceConfigDecidesAndSurvivesAReload(String cfg, String spoe, String minimum) throws IOException {
        String[] version = minimum.split("\\.");
        assumeTrue(HaproxyBinary.version().isAtLeast(Integer.parseInt(version[0]), Integer.parseInt(version[1])),
                cfg + " needs HAProxy " + minimum + "+ (mode spop); DocsConfigValidityTest checks it as mode tcp on "
                        + HaproxyBinary.version());
        int frontend = FreePorts.next();
        HaproxyConfig config = local(cfg, spoe, frontend)
                .replace(HaproxyConfig.MAIN_FILE,
                        "    server app app.default.svc.cluster.local:80 resolvers k8s init-addr none check\n",
                        APP_ANSWERS_ITSELF, 1)
                .replace(HaproxyConfig.MAIN_FILE,
                        "server-template agent 10 _spop._tcp.edge-spoe-policy-service-spop.policy.svc.cluster.local"
                                + " resolvers k8s init-addr none ",
                        "server-template agent 1 127.0.0.1:${AGENT_PORT} ", 1);

        decidesAndSurvivesAReload(config, frontend, "agent1");
    }

    /** The sidecar configuration: fail-closed, the agent on the pod's loopback. */
    @Test
    void sidecarConfigDecidesAndSurvivesAReload() throws IOException {
        int frontend = FreePorts.next();
        HaproxyConfig config = local("sidecar.cfg", "kubernetes-spoe.conf", frontend)
                .replace(HaproxyConfig.MAIN_FILE, "    server app 127.0.0.1:9000 check\n", APP_ANSWERS_ITSELF, 1)
                .replace(HaproxyConfig.MAIN_FILE, "    server agent 127.0.0.1:12345 check ",
                        "    server agent 127.0.0.1:${AGENT_PORT} check ", 1);

        decidesAndSurvivesAReload(config, frontend, "agent");
    }

    private static void decidesAndSurvivesAReload(HaproxyConfig config, int frontend, String server) {
        try (HaproxyProcess haproxy = HaproxyProcess.builder(config).masterWorker().start()) {
            haproxy.awaitServerState(BACKEND, server, ServerState.UP, Duration.ofSeconds(20));
            assertDecisions(haproxy, frontend, 0);

            haproxy.reload();
            haproxy.awaitServerState(BACKEND, server, ServerState.UP, Duration.ofSeconds(20));
            assertDecisions(haproxy, frontend, 2);
        }
    }

    private static void assertDecisions(HaproxyProcess haproxy, int frontend, int linesBefore) {
        HttpOutcome allowed = HttpLoad.get(frontend, "/");
        HttpOutcome denied = HttpLoad.to(frontend).path("/").from("127.0.0.2").send();

        assertThat(allowed.status()).as(haproxy.logTail(20)).isEqualTo(200);
        assertThat(allowed.header("x-policy-action")).contains("allow");
        assertThat(allowed.header("x-policy-error")).isEmpty();
        assertThat(denied.status()).as(haproxy.logTail(20)).isEqualTo(403);
        assertThat(denied.header("x-policy-action")).contains("deny");
        List<SpoeLogLine> lines = haproxy.awaitSpoeLines(linesBefore + 2, Duration.ofSeconds(5));
        assertThat(lines.subList(linesBefore, lines.size())).extracting(SpoeLogLine::status).containsOnly(0);
    }

    /** What every file needs replaced: the bind address, headers exposing the outcome, the timeout. */
    private static HaproxyConfig local(String cfg, String spoe, int frontend) throws IOException {
        return HaproxyConfig.of(Files.readString(DOCS.resolve(cfg)))
                .withFile(spoe, Files.readString(DOCS.resolve(spoe)))
                .replace(HaproxyConfig.MAIN_FILE, "    bind :8080\n", "    bind 127.0.0.1:${FRONTEND_PORT}\n", 1)
                .replace(HaproxyConfig.MAIN_FILE, "    default_backend be_app\n",
                        "    http-after-response set-header x-policy-action %[var(txn.policy.action)]"
                                + " if { var(txn.policy.action) -m found }\n"
                                + "    http-after-response set-header x-policy-error %[var(txn.policy.error),add(0)]"
                                + " if { var(txn.policy.error) -m found }\n"
                                + "    default_backend be_app\n", 1)
                .replace(spoe, "timeout processing 500ms", "timeout processing 5s", 1)
                .withToken(QuickStart.FRONTEND_PORT, frontend)
                .withToken(QuickStart.AGENT_PORT, agent.port());
    }
}
