package io.spoepolicy.server;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;

import io.spoepolicy.testkit.MessageBuilder;
import io.spoepolicy.testkit.SpopTestClient;
import io.spoepolicy.testsupport.FreePorts;
import io.spoepolicy.testsupport.HttpLoad;
import io.spoepolicy.testsupport.SpringAgent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A context stopped and started again without being closed (what Spring's test framework does to
 * a cached context it pauses): the stop drains SPOP and turns readiness off; the start must serve
 * SPOP again and report ready again, unless someone else had taken the agent out of rotation.
 * Without {@link ReadinessAfterRestart} the probe kept answering 503 after the restart.
 */
class ReadinessAfterRestartTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void readinessComesBackWithTheListenerAfterAStopAndStart() throws Exception {
        try (SpringAgent agent = SpringAgent.start("restart-readiness", FreePorts.next(),
                "spoe.server.drain.window=0s", "spoe.server.drain.deadline=2s")) {
            int management = agent.managementPort();
            assertThat(readiness(management)).isEqualTo(200);

            agent.context().stop();
            // The HTTP servers stop with the context: ask the availability bean the probe reads.
            assertThat(agent.server().isRunning()).isFalse();
            assertThat(readinessState(agent)).isEqualTo(ReadinessState.REFUSING_TRAFFIC);

            agent.context().start();
            // The management server may come back on another port (port 0): ask for it again.
            await().atMost(WAIT).until(() -> readiness(agent.managementPort()) == 200);
            try (SpopTestClient haproxy = SpopTestClient.connect("127.0.0.1", agent.port())) {
                haproxy.handshake();
                assertThat(haproxy.request(MessageBuilder.checkRequest().ip("127.0.0.1").build()).text("action"))
                        .isEqualTo("allow");
            }
        }
    }

    @Test
    void aReadinessSetElsewhereBeforeTheStopIsLeftAsItWas() {
        try (SpringAgent agent = SpringAgent.start("restart-refusing", FreePorts.next(),
                "spoe.server.drain.window=0s", "spoe.server.drain.deadline=2s")) {
            int management = agent.managementPort();
            AvailabilityChangeEvent.publish(agent.context(), ReadinessState.REFUSING_TRAFFIC);
            assertThat(readiness(management)).isEqualTo(503);

            agent.context().stop();
            agent.context().start();
            await().atMost(WAIT).until(() -> agent.server().isRunning());
            await().atMost(WAIT).until(() -> readiness(agent.managementPort()) != -1);
            assertThat(readiness(agent.managementPort())).isEqualTo(503);
            assertThat(readinessState(agent)).isEqualTo(ReadinessState.REFUSING_TRAFFIC);
        }
    }

    private static ReadinessState readinessState(SpringAgent agent) {
        return agent.context().getBean(ApplicationAvailability.class).getReadinessState();
    }

    /** The probe's HTTP status, or -1 when nothing answers on that port. */
    private static int readiness(int managementPort) {
        return HttpLoad.get(managementPort, "/actuator/health/readiness").status();
    }
}
