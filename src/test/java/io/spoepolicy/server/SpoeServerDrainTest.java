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
            // NOTIFYs always in flight (300 ms policy, one every 100 ms) until past the window:
            // the connection keeps being served while new connections are refused.
            SlowTraffic traffic = SlowTraffic.start(busy, drainStarted + WINDOW.plusMillis(1200).toNanos());
            await().pollDelay(WINDOW).atMost(Duration.ofSeconds(3)).until(() -> refusesConnections(port));
            SlowTraffic.Outcome outcome = traffic.await();
            assertThat(outcome.acks()).isEqualTo(outcome.sent());
            // Then idle: the DISCONNECT comes, never sooner than the quiet period after the last
            // ACK (early 3.1.x loses an ACK followed at once by a close).
            assertThat(outcome.disconnectAfterLastAck()).isGreaterThanOrEqualTo(QUIET);
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
    void closesConnectionsStillBusyAtTheDeadlineAtTheirNextIdleMoment() throws Exception {
        try (SpopTestClient busy = SpopTestClient.connect("127.0.0.1", port())) {
            busy.handshake();
            long drainStarted = System.nanoTime();
            drain();
            // Busy until just past the deadline (4 s), then idle.
            SlowTraffic.Outcome outcome = SlowTraffic.start(busy, drainStarted + Duration.ofMillis(4200).toNanos())
                    .await();
            assertThat(outcome.acks()).isEqualTo(outcome.sent());
            assertThat(outcome.disconnectAfterLastAck()).isGreaterThanOrEqualTo(SpoeServer.DEADLINE_GAP)
                    .isLessThan(QUIET);
            busy.close();
        }
        assertThat(drained.await(10, TimeUnit.SECONDS)).isTrue();
        DrainReport report = server.lastDrain();
        assertThat(report.forced()).isEqualTo(1);
        assertThat(report.closedQuiet()).isZero();
        // Closed with nothing in flight, well before the hard end (deadline + linger).
        assertThat(report.lostInFlight()).isZero();
        assertThat(report.duration()).isBetween(Duration.ofSeconds(4), Duration.ofMillis(4950));
    }

    @Test
    void cutsAndCountsNotifiesStillInFlightAtDeadlinePlusLinger() throws Exception {
        try (SpopTestClient busy = SpopTestClient.connect("127.0.0.1", port())) {
            busy.handshake();
            drain();
            // Never idle: the hard end cuts it.
            SlowTraffic.Outcome outcome = SlowTraffic.start(busy, Long.MAX_VALUE).await();
            assertThat(outcome.acks()).isLessThan(outcome.sent());
        }
        assertThat(drained.await(10, TimeUnit.SECONDS)).isTrue();
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

    /**
     * Pipelined NOTIFYs for the slow policy, one every 100 ms until a time, read back on another
     * thread: the connection always has NOTIFYs in flight, so it is busy whatever pauses the
     * machine takes, and idle once the sending stops.
     */
    private static final class SlowTraffic {
        private final SpopTestClient client;
        private final long until;
        private final CompletableFuture<Integer> sender;
        private final CompletableFuture<Outcome> reader;

        private SlowTraffic(SpopTestClient client, long until) {
            this.client = client;
            this.until = until;
            this.sender = CompletableFuture.supplyAsync(this::send);
            this.reader = CompletableFuture.supplyAsync(this::read);
        }

        static SlowTraffic start(SpopTestClient client, long untilNanos) {
            return new SlowTraffic(client, untilNanos);
        }

        private int send() {
            int sent = 0;
            try {
                for (long streamId = 1; System.nanoTime() < until; streamId += 2) {
                    client.send(HaproxyFrames.notify(streamId, 1, MessageBuilder.message(SlowPolicy.MESSAGE).build()));
                    sent++;
                    pause(Duration.ofMillis(100));
                }
            }
            catch (IOException ex) {
                // Closed by the agent.
            }
            return sent;
        }

        private Outcome read() {
            int acks = 0;
            long lastAck = 0;
            try {
                while (true) {
                    AgentFrame frame = client.receive();
                    if (frame instanceof AgentFrame.Ack) {
                        acks++;
                        lastAck = System.nanoTime();
                    }
                    else if (frame instanceof AgentFrame.Disconnect disconnect) {
                        assertThat(disconnect.statusCode()).isZero();
                        return new Outcome(sender.join(), acks, Duration.ofNanos(System.nanoTime() - lastAck));
                    }
                }
            }
            catch (IOException ex) {
                return new Outcome(sender.join(), acks, null);
            }
        }

        Outcome await() throws Exception {
            return reader.get(15, TimeUnit.SECONDS);
        }

        /** NOTIFYs sent, ACKs received, time from the last ACK to the DISCONNECT (null if none). */
        record Outcome(int sent, int acks, Duration disconnectAfterLastAck) {
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

    private static boolean refusesConnections(int port) throws IOException {
        try (Socket probe = new Socket()) {
            probe.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return false;
        }
        catch (ConnectException ex) {
            return true;
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
