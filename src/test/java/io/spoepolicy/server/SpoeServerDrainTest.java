package io.spoepolicy.server;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import reactor.core.publisher.Mono;

import io.spoepolicy.policy.Decision;
import io.spoepolicy.policy.PolicyRequest;
import io.spoepolicy.policy.SpoePolicy;

import io.spoepolicy.testkit.AgentFrame;
import io.spoepolicy.testkit.HaproxyFrames;
import io.spoepolicy.testkit.MessageBuilder;
import io.spoepolicy.testkit.SpopTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The drain against real sockets, driven through the server's lifecycle methods so one context
 * serves every case: health checks refused while data connections are served during the window,
 * the listener closed after it, connections closed only once quiet (AGENT-DISCONNECT 0, write
 * side shut, HAProxy's close awaited), and busy connections forced at the deadline and counted.
 */
@SpringBootTest(properties = {"spoe.server.port=0", "server.port=0",
        "spoe.server.drain.window=1s", "spoe.server.drain.quiet-period=600ms",
        "spoe.server.drain.linger=1s", "spoe.server.drain.deadline=4s",
        "spring.lifecycle.timeout-per-shutdown-phase=10s"})
class SpoeServerDrainTest {

    private static final Duration WINDOW = Duration.ofSeconds(1);
    private static final Duration QUIET = Duration.ofMillis(600);

    @Autowired
    SpoeServer server;

    private CountDownLatch drained;

    @BeforeEach
    void running() {
        if (!server.isRunning()) {
            server.start();
        }
        drained = new CountDownLatch(1);
    }

    @AfterEach
    void restart() throws InterruptedException {
        if (server.state() != ServerState.STOPPED) {
            server.stop(() -> { });
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> server.state() == ServerState.STOPPED);
        server.start();
    }

    @Test
    void refusesHealthChecksButServesDataConnectionsDuringTheWindow() throws Exception {
        int port = port();
        try (SpopTestClient before = SpopTestClient.connect("127.0.0.1", port)) {
            before.handshake();
            drain();

            try (SpopTestClient check = SpopTestClient.connect("127.0.0.1", port)) {
                check.send(HaproxyFrames.healthcheckHello());
                assertThat(check.receive()).isInstanceOfSatisfying(AgentFrame.Disconnect.class,
                        disconnect -> assertThat(disconnect.statusCode()).isZero());
                assertThat(check.awaitClose(Duration.ofSeconds(3))).isTrue();
            }
            try (SpopTestClient fresh = SpopTestClient.connect("127.0.0.1", port)) {
                assertThat(fresh.handshake().version()).isEqualTo("2.0");
                assertThat(fresh.request(MessageBuilder.checkRequest().ip("127.0.0.2").build()).text("action"))
                        .isEqualTo("deny");
                assertThat(before.request(MessageBuilder.checkRequest().ip("127.0.0.1").build()).text("action"))
                        .isEqualTo("allow");

                // Both close once quiet: DISCONNECT(0), then the agent's write side ends while
                // it waits for our close.
                assertGracefulDisconnect(fresh);
                assertGracefulDisconnect(before);
            }
        }
        assertThat(drained.await(10, TimeUnit.SECONDS)).isTrue();
        DrainReport report = server.lastDrain();
        assertThat(report.forced()).isZero();
        assertThat(report.lostInFlight()).isZero();
        assertThat(report.closedQuiet()).isEqualTo(2);
        assertThat(report.acceptedDuringDrain()).isEqualTo(2);
        // Closed well before the deadline once quiet.
        assertThat(report.duration()).isLessThan(Duration.ofSeconds(4));
    }

    @Test
    void closesTheListenerAfterTheWindowAndBusyConnectionsOnlyOnceQuiet() throws Exception {
        int port = port();
        try (SpopTestClient busy = SpopTestClient.connect("127.0.0.1", port)) {
            busy.handshake();
            long drainStarted = System.nanoTime();
            drain();
            // Keep the connection busy (a NOTIFY every 50 ms, shorter than the quiet period)
            // past the window: it must keep being served, while new connections are refused.
            long lastAck = 0;
            boolean refusedSeen = false;
            while (System.nanoTime() - drainStarted < WINDOW.plusMillis(1200).toNanos()) {
                AgentFrame.Ack ack = busy.request(MessageBuilder.checkRequest().ip("127.0.0.1").build());
                assertThat(ack.text("action")).isEqualTo("allow");
                lastAck = System.nanoTime();
                if (!refusedSeen && lastAck - drainStarted > WINDOW.plusMillis(300).toNanos()) {
                    assertThatThrownBy(() -> new Socket().connect(new InetSocketAddress("127.0.0.1", port), 1000))
                            .isInstanceOf(ConnectException.class);
                    refusedSeen = true;
                }
                pause(Duration.ofMillis(50));
            }
            assertThat(refusedSeen).isTrue();
            // Now idle: the DISCONNECT comes, and never sooner than the quiet period after the
            // last ACK (early 3.1.x loses an ACK followed by an immediate close).
            AgentFrame frame = busy.receive();
            long disconnectAt = System.nanoTime();
            assertThat(frame).isInstanceOf(AgentFrame.Disconnect.class);
            assertThat(Duration.ofNanos(disconnectAt - lastAck)).isGreaterThanOrEqualTo(QUIET);
            assertThat(busy.awaitClose(Duration.ofSeconds(2))).isTrue();
        }
        assertThat(drained.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(server.lastDrain().forced()).isZero();
        assertThat(server.lastDrain().closedQuiet()).isEqualTo(1);
    }

    @Test
    void leavesAHandshakingConnectionAloneUntilItsHello() throws Exception {
        try (SpopTestClient late = SpopTestClient.connect("127.0.0.1", port())) {
            await().until(() -> server.registry().size() == 1);
            drain();
            // Past the window and several quiet periods, the silent connection is still open:
            // a HAProxy that opened it has work for it.
            await().during(WINDOW.plus(QUIET.multipliedBy(3))).atMost(Duration.ofSeconds(4))
                    .until(() -> server.registry().size() == 1);
            late.handshake();
            assertThat(late.request(MessageBuilder.checkRequest().ip("127.0.0.1").build()).text("action"))
                    .isEqualTo("allow");
            assertGracefulDisconnect(late);
        }
        assertThat(drained.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(server.lastDrain().forced()).isZero();
    }

    @Test
    void forcesAndCountsConnectionsStillBusyAtTheDeadline() throws Exception {
        try (SpopTestClient busy = SpopTestClient.connect("127.0.0.1", port())) {
            busy.handshake();
            drain();
            AtomicBoolean cut = new AtomicBoolean();
            CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
                try {
                    while (true) {
                        busy.request(MessageBuilder.checkRequest().ip("127.0.0.1").build());
                        pause(Duration.ofMillis(50));
                    }
                }
                catch (IOException | IllegalStateException ex) {
                    // DISCONNECT instead of an ACK, or end of stream: the deadline cut it. Close
                    // as HAProxy does, which ends the agent's linger.
                    cut.set(true);
                    closeQuietly(busy);
                }
            });
            assertThat(drained.await(10, TimeUnit.SECONDS)).isTrue();
            load.get(5, TimeUnit.SECONDS);
            assertThat(cut).isTrue();
        }
        DrainReport report = server.lastDrain();
        assertThat(report.forced()).isEqualTo(1);
        assertThat(report.closedQuiet()).isZero();
        // Closed at its first idle moment after the deadline, with nothing in flight, not at the
        // hard end (deadline + linger).
        assertThat(report.lostInFlight()).isZero();
        assertThat(report.duration()).isBetween(Duration.ofSeconds(4), Duration.ofMillis(4900));
    }

    @Test
    void cutsAndCountsNotifiesStillInFlightAtDeadlinePlusLinger() throws Exception {
        try (SpopTestClient busy = SpopTestClient.connect("127.0.0.1", port())) {
            busy.handshake();
            drain();
            // Pipelined NOTIFYs every 100 ms to a policy that takes 300 ms: never idle.
            CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
                long streamId = 1;
                try {
                    while (drained.getCount() > 0) {
                        busy.send(HaproxyFrames.notify(streamId, 1, MessageBuilder.message(SlowPolicy.MESSAGE).build()));
                        streamId += 2;
                        pause(Duration.ofMillis(100));
                    }
                }
                catch (IOException ex) {
                    // The agent closed the connection: the point of this test.
                }
            });
            assertThat(drained.await(10, TimeUnit.SECONDS)).isTrue();
            sender.get(5, TimeUnit.SECONDS);
        }
        DrainReport report = server.lastDrain();
        assertThat(report.forced()).isEqualTo(1);
        assertThat(report.lostInFlight()).isPositive();
        assertThat(report.duration()).isGreaterThanOrEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void servesHealthChecksAgainAfterARestart() throws Exception {
        drain();
        assertThat(drained.await(10, TimeUnit.SECONDS)).isTrue();
        server.start();
        try (SpopTestClient check = SpopTestClient.connect("127.0.0.1", port())) {
            check.send(HaproxyFrames.healthcheckHello());
            assertThat(check.receive()).isInstanceOf(AgentFrame.Hello.class);
        }
    }

    /** A policy slow enough to keep NOTIFYs in flight. */
    @TestConfiguration(proxyBeanMethods = false)
    static class SlowPolicyConfiguration {
        @Bean
        SlowPolicy slowPolicy() {
            return new SlowPolicy();
        }
    }

    static final class SlowPolicy implements SpoePolicy {
        static final String MESSAGE = "slow";

        @Override
        public String name() {
            return "slow";
        }

        @Override
        public Set<String> messages() {
            return Set.of(MESSAGE);
        }

        @Override
        public Mono<Decision> evaluate(PolicyRequest request) {
            return Mono.delay(Duration.ofMillis(300)).thenReturn(Decision.allow());
        }
    }

    private void drain() {
        server.stop(drained::countDown);
        assertThat(server.state()).isEqualTo(ServerState.DRAINING);
    }

    private int port() {
        return server.address().getPort();
    }

    private static void assertGracefulDisconnect(SpopTestClient client) throws IOException {
        AgentFrame frame = client.receive();
        assertThat(frame).isInstanceOfSatisfying(AgentFrame.Disconnect.class,
                disconnect -> assertThat(disconnect.statusCode()).isZero());
        // The agent shut its write side: end of stream while our side is still open.
        assertThat(client.awaitClose(Duration.ofSeconds(2))).isTrue();
    }

    private static void closeQuietly(SpopTestClient client) {
        try {
            client.close();
        }
        catch (IOException ignored) {
            // Test socket.
        }
    }

    /** Paces a simulated HAProxy; not a wait for a condition. */
    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
