package io.spoepolicy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import io.spoepolicy.server.SessionInfo;
import io.spoepolicy.server.SpoeServer;
import io.spoepolicy.server.SpoeServerStartedEvent;
import io.spoepolicy.testsupport.FreePorts;
import io.spoepolicy.testsupport.HaproxyBinary;
import io.spoepolicy.testsupport.HaproxyProcess;
import io.spoepolicy.testsupport.HttpLoad;
import io.spoepolicy.testsupport.HttpLoadResult;
import io.spoepolicy.testsupport.HttpOutcome;
import io.spoepolicy.testsupport.QuickStart;
import io.spoepolicy.testsupport.RequiresHaproxy;
import io.spoepolicy.testsupport.ServerState;
import io.spoepolicy.testsupport.SpoeLogLine;

/**
 * The service as users run it: the Spring context with its default policies (the demo
 * configuration denies 127.0.0.2) behind a real HAProxy started from the quick-start files.
 *
 * <p>One deviation from the docs: {@code timeout processing} is 5s instead of 500ms. These tests
 * assert protocol correctness ({@code st=0}, decisions, connection counts), and the shared 2-core
 * build machine runs at load averages above 20 with Netty's paranoid leak detection on, where a
 * 500ms budget turns CPU starvation into {@code st=1} timeouts that say nothing about the agent.
 * Every protocol failure still shows up as a non-zero status. The agent's policy deadline moves
 * with it (4s, below the 5s as the docs ask, instead of 400ms): a starved policy chain answered
 * by the deadline is an ACK without a decision ({@code st=0} yet no {@code x-policy-action}),
 * which is what failed a run under load.
 */
@RequiresHaproxy
@SpringBootTest(properties = {"spoe.server.port=0", "spoe.server.host=127.0.0.1", "server.port=0",
        "spoe.policies.deadline=4s"})
@Import({AgentProbes.class, PolicyThroughHaproxyTest.PortCapture.class})
class PolicyThroughHaproxyTest {

    private static final String ACTION = "x-policy-action";
    private static final String ERROR = "x-policy-error";
    private static final String AGENTS = "be_spoe_agents";
    private static final String PROCESSING_TIMEOUT = "5s";

    @Autowired
    SpoeServer server;
    @Autowired
    PortCapture portCapture;
    @Autowired
    AgentProbes.ConnectionProbe connections;
    @Autowired
    AgentProbes.ProbePolicy overlap;

    /** Reads the SPOP port the way users are told to: from the started event. */
    @TestConfiguration(proxyBeanMethods = false)
    static class PortCapture {
        final AtomicInteger port = new AtomicInteger();

        @Bean
        ApplicationListener<SpoeServerStartedEvent> spoePortListener() {
            return event -> port.set(event.port());
        }
    }

    @BeforeEach
    void resetProbes() {
        connections.reset();
        overlap.reset();
    }

    @Test
    void allowAndDenyDecisionsReachHttpStatusCodes() {
        int frontend = FreePorts.next();
        try (HaproxyProcess haproxy = HaproxyProcess.start(quickStart(frontend).build())) {

            HttpOutcome allowed = HttpLoad.get(frontend, "/");
            HttpOutcome denied = HttpLoad.to(frontend).path("/").from("127.0.0.2").send();

            assertThat(allowed.status()).as(haproxy.logTail(20)).isEqualTo(200);
            assertThat(allowed.header(ACTION)).contains("allow");
            assertThat(allowed.header(ERROR)).isEmpty();
            assertThat(denied.status()).as(haproxy.logTail(20)).isEqualTo(403);
            assertThat(denied.header(ACTION)).contains("deny");
            assertThat(denied.header(ERROR)).isEmpty();
            assertThat(awaitSpoeLines(haproxy, 0, 2)).extracting(SpoeLogLine::status).containsExactly(0, 0);
        }
    }

    @Test
    void concurrentRequestsArePipelinedWithoutSpoeErrors() {
        int frontend = FreePorts.next();
        try (HaproxyProcess haproxy = startWarm(frontend, quickStart(frontend))) {
            int linesBefore = haproxy.spoeLogLines().size();
            int requests = 400;

            HttpLoadResult result = HttpLoad.to(frontend).path(AgentProbes.SLOW_PATH + "x")
                    .connections(200).requests(requests).capture(ACTION, ERROR)
                    .timeout(Duration.ofSeconds(60)).run();

            assertThat(result.statusCounts()).as("%s\n%s", result, haproxy.logTail(10))
                    .isEqualTo(Map.of(200, (long) requests));
            List<SpoeLogLine> spoe = awaitSpoeLines(haproxy, linesBefore, requests);
            assertThat(spoe).as("SPOE events of the load").hasSize(requests)
                    .allSatisfy(line -> assertThat(line.status()).as(line.raw()).isZero());
            assertThat(result.headerCounts(ACTION)).isEqualTo(Map.of("allow", (long) requests));
            assertThat(result.headerCounts(ERROR)).isEqualTo(Map.of("<none>", (long) requests));

            List<SessionInfo> sessions = connections.dataSessions();
            assertThat(sessions).allSatisfy(session -> assertThat(session.capabilities()).contains("pipelining"));
            // Pipelining used, not just negotiated: HAProxy 2.x logs more frames awaiting an ACK than
            // it has connections; on any version, more NOTIFYs overlapping in the agent than
            // connections opened during the load means a connection carried several at once.
            boolean seenInHaproxyLog = spoe.stream().anyMatch(SpoeLogLine::showsPipelining);
            int connectionsEver = sessions.size() + (int) haproxy.stats().number(AGENTS, "agent1", "scur");
            assertThat(seenInHaproxyLog || overlap.maxOverlap() > connectionsEver)
                    .as("pipelining: max overlap %s, connections %s", overlap.maxOverlap(), connectionsEver)
                    .isTrue();
        }
    }

    @Test
    void aFailingPolicyIsAnAgentErrorServedFailOpenAndRejectedFailClosed() {
        int openPort = FreePorts.next();
        int closedPort = FreePorts.next();
        try (HaproxyProcess failOpen = HaproxyProcess.start(quickStart(openPort).build());
                HaproxyProcess failClosed = HaproxyProcess.start(quickStart(closedPort).failClosed().build())) {

            HttpOutcome served = HttpLoad.get(openPort, AgentProbes.FAIL_PATH + "x");
            HttpOutcome rejected = HttpLoad.get(closedPort, AgentProbes.FAIL_PATH + "x");
            HttpOutcome stillAllowed = HttpLoad.get(closedPort, "/");

            // The agent answered (st=0) without a decision: no action, and no HAProxy-side error.
            assertThat(served.status()).as(failOpen.logTail(10)).isEqualTo(200);
            assertThat(served.header(ACTION)).isEmpty();
            assertThat(served.header(ERROR)).isEmpty();
            assertThat(rejected.status()).as(failClosed.logTail(10)).isEqualTo(503);
            assertThat(rejected.header(ERROR)).as("rejected by the agent_error rule").isEmpty();
            assertThat(stillAllowed.status()).isEqualTo(200);
            assertThat(stillAllowed.header(ACTION)).contains("allow");
            assertThat(awaitSpoeLines(failOpen, 0, 1)).extracting(SpoeLogLine::status).containsExactly(0);
            assertThat(awaitSpoeLines(failClosed, 0, 2)).extracting(SpoeLogLine::status).containsExactly(0, 0);
        }
    }

    @Test
    void spopCheckMarksTheAgentUp() {
        int frontend = FreePorts.next();
        try (HaproxyProcess haproxy = HaproxyProcess.start(quickStart(frontend).build())) {

            awaitCheckPassed(haproxy);

            assertThat(haproxy.serverState(AGENTS, "agent1")).isEqualTo(ServerState.UP);
            assertThat(connections.healthChecks()).isPositive();
        }
    }

    @Test
    void largeHeadersAreFragmentedWithoutAReconnectStorm() {
        assumeFalse(HaproxyBinary.version().hasSpopMultiplexer(),
                "HAProxy 3.1+ removed SPOP fragmentation: oversized messages fail with st=3 there");
        int frontend = FreePorts.next();
        try (HaproxyProcess haproxy = startWarm(frontend, quickStart(frontend).spoeAgentLine("max-frame-size 1024"))) {
            int linesBefore = haproxy.spoeLogLines().size();
            long connectionsBefore = haproxy.stats().number(AGENTS, "agent1", "stot");
            int requests = 10;

            HttpLoadResult result = HttpLoad.to(frontend).path("/")
                    .header(AgentProbes.BIG_HEADER, "a".repeat(4096))
                    .requests(requests).capture(ACTION, ERROR).run();

            assertThat(result.statusCounts()).as("%s\n%s", result, haproxy.logTail(10))
                    .isEqualTo(Map.of(200, (long) requests));
            assertThat(awaitSpoeLines(haproxy, linesBefore, requests))
                    .allSatisfy(line -> assertThat(line.status()).as(line.raw()).isZero());
            assertThat(result.headerCounts(ACTION)).isEqualTo(Map.of("allow", (long) requests));
            assertThat(overlap.lastBigHeaderLength()).as("reassembled header").isEqualTo(4096);
            // 4 KB in frames of at most 1024 bytes: at least three continuation frames per request.
            assertThat(connections.fragmentFrames()).isGreaterThanOrEqualTo(3L * requests);
            assertThat(connections.dataSessions()).allSatisfy(session -> {
                assertThat(session.maxFrameSize()).isEqualTo(1024);
                assertThat(session.capabilities()).contains("fragmentation");
            });
            // Without reassembly, HAProxy 2.x reconnects hundreds of times per request (DISCONNECT 10).
            // With it, the warm connections carry the requests; 2.6's applet heuristic may add a few
            // when the starved agent answers slowly, never one per request. HAProxy's own counter is
            // used: the agent's handshake count races with the end of the warm-up.
            long opened = haproxy.stats().number(AGENTS, "agent1", "stot") - connectionsBefore;
            assertThat(opened).as("connections opened during %s large requests", requests).isLessThan(requests);
        }
    }

    /** The 3.1+ counterpart of the fragmentation test: HAProxy refuses the event itself, at once. */
    @Test
    void oversizedMessageFailsCleanlyOnTheMultiplexer() {
        assumeTrue(HaproxyBinary.version().hasSpopMultiplexer(),
                "HAProxy 2.x fragments oversized messages instead (largeHeadersAreFragmentedWithoutAReconnectStorm)");
        int frontend = FreePorts.next();
        try (HaproxyProcess haproxy = startWarm(frontend, quickStart(frontend).spoeAgentLine("max-frame-size 1024"))) {
            int linesBefore = haproxy.spoeLogLines().size();
            long connectionsBefore = haproxy.stats().number(AGENTS, "agent1", "stot");
            int requests = 5;

            HttpLoadResult result = HttpLoad.to(frontend).path("/")
                    .header(AgentProbes.BIG_HEADER, "a".repeat(4096))
                    .requests(requests).capture(ACTION, ERROR).run();

            // Fail-open with SPOE status 3 (too big), well within the processing timeout, and
            // nothing reached the agent: no decision, no NOTIFY, no reconnect storm.
            assertThat(result.statusCounts()).as("%s\n%s", result, haproxy.logTail(10))
                    .isEqualTo(Map.of(200, (long) requests));
            assertThat(result.headerCounts(ERROR)).isEqualTo(Map.of("3", (long) requests));
            assertThat(result.headerCounts(ACTION)).isEqualTo(Map.of("<none>", (long) requests));
            assertThat(awaitSpoeLines(haproxy, linesBefore, requests)).allSatisfy(line -> {
                assertThat(line.status()).as(line.raw()).isEqualTo(3);
                assertThat(line.processingMillis()).as(line.raw()).isLessThan(1000);
            });
            assertThat(overlap.lastBigHeaderLength()).as("no oversized message reached a policy").isEqualTo(-1);
            assertThat(haproxy.stats().number(AGENTS, "agent1", "stot") - connectionsBefore)
                    .as("connections opened").isLessThan(requests);
        }
    }

    private QuickStart quickStart(int frontend) {
        int port = portCapture.port.get();
        assertThat(port).as("port from SpoeServerStartedEvent").isPositive().isEqualTo(server.address().getPort());
        return QuickStart.builder().frontendPort(frontend).agentPorts(port).processingTimeout(PROCESSING_TIMEOUT);
    }

    /**
     * A fresh HAProxy whose agent check passed and that already sent some requests, so that the
     * measured part starts with warm connections (2.6 opens applets per thread and per burst).
     */
    private HaproxyProcess startWarm(int frontend, QuickStart quickStart) {
        HaproxyProcess haproxy = HaproxyProcess.start(quickStart.build());
        try {
            awaitCheckPassed(haproxy);
            HttpLoadResult warmUp = HttpLoad.to(frontend).path("/warm-up").connections(8).requests(200).run();
            assertThat(warmUp.countStatus(200)).as("warm-up %s", warmUp).isEqualTo(200);
            resetProbes();
            return haproxy;
        } catch (RuntimeException | Error e) {
            haproxy.close();
            throw e;
        }
    }

    private static void awaitCheckPassed(HaproxyProcess haproxy) {
        // HAProxy starts servers UP before any check ran; L7OK proves an spop-check passed. A check
        // slower than "inter" (1s) on a loaded machine shows L7TOUT until the next one passes.
        // A runtime API exchange that fails (a starved HAProxy can miss the CLI timeout) is a
        // poll that saw nothing, not a failed check: the bound still ends the wait.
        await("spop-check passed").atMost(Duration.ofSeconds(30))
                .ignoreExceptionsInstanceOf(UncheckedIOException.class)
                .until(() -> haproxy.stats().field(AGENTS, "agent1", "check_status").equals("L7OK"));
    }

    private static List<SpoeLogLine> awaitSpoeLines(HaproxyProcess haproxy, int skip, int count) {
        // A bound for a busy machine.
        return haproxy.awaitSpoeLines(skip + count, Duration.ofSeconds(30)).subList(skip, skip + count);
    }
}
