package io.spoepolicy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.spoepolicy.testsupport.FreePorts;
import io.spoepolicy.testsupport.HaproxyProcess;
import io.spoepolicy.testsupport.HttpLoad;
import io.spoepolicy.testsupport.HttpOutcome;
import io.spoepolicy.testsupport.QuickStart;
import io.spoepolicy.testsupport.RequiresHaproxy;
import io.spoepolicy.testsupport.ServerState;
import io.spoepolicy.testsupport.SpoeLogLine;

/** The quick-start configuration with no agent listening: what users get before the service is up. */
@RequiresHaproxy
class HaproxyWithoutAgentTest {

    @Test
    void failsOpenReportsTheErrorAndMarksTheAgentDown() {
        int frontendPort = FreePorts.next();
        int absentAgentPort = FreePorts.next();
        try (HaproxyProcess haproxy = HaproxyProcess.start(
                QuickStart.builder().frontendPort(frontendPort).agentPorts(absentAgentPort).build())) {

            HttpOutcome response = HttpLoad.get(frontendPort, "/");

            assertThat(response.status()).as("fail-open: %s", haproxy.logTail(20)).isEqualTo(200);
            assertThat(response.header("x-policy-action")).isEmpty();
            // What users' alerts see: 2.x fails the event for want of an applet (2); 3.1+ tries the
            // connection and reports the SPOP I/O error (256 + 1), also once the server is DOWN.
            // HAProxy starts the server UP, and on 2.x an event that arrives before the first check
            // took it DOWN waits for a connection that is refused until "timeout processing" (1):
            // which of the two this first request meets depends on when that check ran.
            String expected = haproxy.version().hasSpopMultiplexer() ? "257" : "2";
            List<String> beforeOrAfterFirstCheck = haproxy.version().hasSpopMultiplexer() ? List.of("257")
                    : List.of("1", "2");
            assertThat(response.header("x-policy-error")).as(haproxy.logTail(20))
                    .hasValueSatisfying(error -> assertThat(error).isIn(beforeOrAfterFirstCheck));
            List<SpoeLogLine> spoe = haproxy.awaitSpoeLines(1, Duration.ofSeconds(20));
            assertThat(spoe).allSatisfy(line -> {
                assertThat(line.agent()).isEqualTo("spoe-policy-agent");
                assertThat(line.name()).isEqualTo("on-frontend-http-request");
                assertThat(line.status()).isNotZero();
            });
            assertThat(response.header("x-policy-error")).contains(String.valueOf(spoe.get(0).status()));
            haproxy.awaitServerState("be_spoe_agents", "agent1", ServerState.DOWN, Duration.ofSeconds(10));
            assertThat(HttpLoad.get(frontendPort, "/").header("x-policy-error")).as("agent DOWN").contains(expected);
        }
    }

    @Test
    void failClosedRuleRejectsWith503() {
        int frontendPort = FreePorts.next();
        try (HaproxyProcess haproxy = HaproxyProcess.start(QuickStart.builder()
                .frontendPort(frontendPort).agentPorts(FreePorts.next()).failClosed().build())) {

            HttpOutcome response = HttpLoad.get(frontendPort, "/");

            assertThat(response.status()).as(haproxy.logTail(20)).isEqualTo(503);
            assertThat(response.header("x-policy-error")).isPresent();
            assertThat(haproxy.spoeStatuses()).isNotEmpty().doesNotContain(0);
        }
    }

    @Test
    void runtimeApiAnswers() {
        int frontendPort = FreePorts.next();
        try (HaproxyProcess haproxy = HaproxyProcess.start(
                QuickStart.builder().frontendPort(frontendPort).agentPorts(FreePorts.next()).build())) {

            assertThat(haproxy.runtimeCommand("show info")).contains("Pid: " + haproxy.pid());
            assertThat(haproxy.runtimeCommand("show servers state be_spoe_agents")).contains("agent1");
            assertThat(haproxy.stats().row("fe_policy", "FRONTEND")).isPresent();
            assertThat(haproxy.version().major()).isGreaterThanOrEqualTo(2);
        }
    }
}
