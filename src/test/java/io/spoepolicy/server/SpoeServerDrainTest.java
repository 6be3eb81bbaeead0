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
import io.spoepolicy.protocol.FrameType;
import io.spoepolicy.protocol.SpopStatus;

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
        "spoe.server.drain.linger=3s", "spoe.server.drain.deadline=5s",
        "spring.lifecycle.timeout-per-shutdown-phase=10s"})
class SpoeServerDrainTest {

    private static final Duration WINDOW = Duration.ofSeconds(1);
    private static final Duration QUIET = Duration.ofMillis(600);
    /**
     * Far enough after the window and its quiet periods that a test's steps before the deadline
     * fit on a loaded machine (the handshaking connection must outlast WINDOW + 3 x QUIET).
     */
    private static final Duration DEADLINE = Duration.ofSeconds(5);
    /**
     * The hard end is DEADLINE + LINGER: 3 s after the deadline leaves a clear second between
     * "closed at its next idle moment" (about 0.5 s after the deadline, more when the machine
     * is slow) and "cut at the hard end" (1 s of linger left 50 ms of margin).
     */
    private static final Duration LINGER = Duration.ofSeconds(3);

    @Autowired
    SpoeServer server;

    @Autowired
    AckAndDisconnectTimes sent;

    private CountDownLatch drained;

    @BeforeEach
    void running() {
        if (!server.isRunning()) {
            server.start();
        }
        drained = new CountDownLatch(1);
        sent.reset();
    }

    @AfterEach
    void restart() throws InterruptedException {
        if (server.state() != ServerState.STOPPED) {
            server.stop(() -> { });
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> server.state() == ServerState.STOPPED);
        server.start();
    }

    @Test
    void refusesHealthChecksButServesDataConnectionsDuringTheWindow() throws Exception {
        int port = port();
        try (SpopTestClient before = SpopTestClient.connect("127.0.0.1", port)) {
            before.handshake();
            drain();

            // Both connections are opened at once: only the connect must fall in the 1 s window,
            // not the exchanges below, which a loaded machine can stretch past it.
            try (SpopTestClient check = SpopTestClient.connect("127.0.0.1", port);
                    SpopTestClient fresh = SpopTestClient.connect("127.0.0.1", port)) {
                check.send(HaproxyFrames.healthcheckHello());
                assertThat(check.receive()).isInstanceOfSatisfying(AgentFrame.Disconnect.class,
                        disconnect -> assertThat(disconnect.statusCode()).isZero());
                assertThat(check.awaitClose(Duration.ofSeconds(10))).isTrue();
                check.close();

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
        assertThat(drained.await(20, TimeUnit.SECONDS)).isTrue();
        DrainReport report = server.lastDrain();
        assertThat(report.forced()).isZero();
        assertThat(report.lostInFlight()).isZero();
        assertThat(report.closedQuiet()).isEqualTo(2);
        assertThat(report.acceptedDuringDrain()).isEqualTo(2);
        // Closed before the deadline once quiet.
        assertThat(report.duration()).isLessThan(DEADLINE);
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
            await().pollDelay(WINDOW).atMost(Duration.ofSeconds(10)).until(() -> refusesConnections(port));
            SlowTraffic.Outcome outcome = traffic.await();
            assertThat(outcome.acks()).isEqualTo(outcome.sent());
            // Then idle: the DISCONNECT comes, never sooner than the quiet period after the last
            // ACK (early 3.1.x loses an ACK followed at once by a close). Timed where both are
            // sent: read here, the last ACK can be late by a stall of this reader thread.
            assertThat(outcome.disconnectAfterLastAck()).isNotNull();
            assertThat(sent.disconnectAfterLastAck()).isGreaterThanOrEqualTo(QUIET);
            assertThat(busy.awaitClose(Duration.ofSeconds(2))).isTrue();
        }
        assertThat(drained.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(server.lastDrain().forced()).isZero();
        assertThat(server.lastDrain().closedQuiet()).isEqualTo(1);
    }

    @Test
    void leavesAHandshakingConnectionAloneUntilItsHello() throws Exception {
        try (SpopTestClient late = SpopTestClient.connect("127.0.0.1", port())) {
            await().until(() -> server.registry().size() == 1);
            drain();
            // Past the window and several quiet periods, the silent connection is still open:
            // a HAProxy that opened it has work for it. (The deadline would close it, so
            // "during" must be over before DEADLINE; atMost only bounds a slow poller.)
            await().during(WINDOW.plus(QUIET.multipliedBy(3))).atMost(DEADLINE.multipliedBy(2))
                    .until(() -> server.registry().size() == 1);
            late.handshake();
            assertThat(late.request(MessageBuilder.checkRequest().ip("127.0.0.1").build()).text("action"))
                    .isEqualTo("allow");
            assertGracefulDisconnect(late);
        }
        assertThat(drained.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(server.lastDrain().forced()).isZero();
    }

    @Test
    void closesConnectionsStillBusyAtTheDeadlineAtTheirNextIdleMoment() throws Exception {
        try (SpopTestClient busy = SpopTestClient.connect("127.0.0.1", port())) {
            busy.handshake();
            long drainStarted = System.nanoTime();
            drain();
            // Busy until just past the deadline, then idle.
            SlowTraffic.Outcome outcome = SlowTraffic.start(busy, drainStarted + DEADLINE.plusMillis(200).toNanos())
                    .await();
            assertThat(outcome.acks()).isEqualTo(outcome.sent());
            assertThat(outcome.disconnectAfterLastAck()).isNotNull();
            // A gap after the last ACK, yet not a whole quiet period; timed where both are sent
            // (a reader stall of a few ms here would hide the 5 ms gap).
            assertThat(sent.disconnectAfterLastAck()).isGreaterThanOrEqualTo(SpoeServer.DEADLINE_GAP)
                    .isLessThan(QUIET);
            busy.close();
        }
        assertThat(drained.await(20, TimeUnit.SECONDS)).isTrue();
        DrainReport report = server.lastDrain();
        assertThat(report.forced()).isEqualTo(1);
        assertThat(report.closedQuiet()).isZero();
        // Closed with nothing in flight, well before the hard end (deadline + linger).
        assertThat(report.lostInFlight()).isZero();
        assertThat(report.duration()).isBetween(DEADLINE, DEADLINE.plus(LINGER).minusSeconds(1));
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
        assertThat(drained.await(20, TimeUnit.SECONDS)).isTrue();
        DrainReport report = server.lastDrain();
        assertThat(report.forced()).isEqualTo(1);
        assertThat(report.lostInFlight()).isPositive();
        assertThat(report.duration()).isGreaterThanOrEqualTo(DEADLINE.plus(LINGER));
    }

    @Test
    void servesHealthChecksAgainAfterARestart() throws Exception {
        drain();
        assertThat(drained.await(20, TimeUnit.SECONDS)).isTrue();
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

        @Bean
        AckAndDisconnectTimes ackAndDisconnectTimes() {
            return new AckAndDisconnectTimes();
        }
    }

    /**
     * When the agent sent its last ACK and its first graceful AGENT-DISCONNECT, taken on the
     * event loop that sends both (each test drains one data connection).
     */
    static final class AckAndDisconnectTimes implements SessionObserver {
        private volatile Long lastAckNanos;
        private volatile Long disconnectNanos;

        void reset() {
            lastAckNanos = null;
            disconnectNanos = null;
        }

        @Override
        public void frameSent(int type, int bytes) {
            if (type == FrameType.ACK.id() && disconnectNanos == null) {
                lastAckNanos = System.nanoTime();
            }
        }

        @Override
        public void disconnectSent(SpopStatus status) {
            if (status == SpopStatus.NORMAL && disconnectNanos == null) {
                disconnectNanos = System.nanoTime();
            }
        }

        Duration disconnectAfterLastAck() {
            Long ack = lastAckNanos;
            Long disconnect = disconnectNanos;
            assertThat(ack).as("an ACK was sent").isNotNull();
            assertThat(disconnect).as("a graceful AGENT-DISCONNECT was sent").isNotNull();
            return Duration.ofNanos(disconnect - ack);
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
