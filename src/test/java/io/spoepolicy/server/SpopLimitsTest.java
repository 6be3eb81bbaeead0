package io.spoepolicy.server;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import io.spoepolicy.protocol.FrameFlags;
import io.spoepolicy.protocol.FrameType;
import io.spoepolicy.protocol.SpopMessage;
import io.spoepolicy.protocol.SpopStatus;
import io.spoepolicy.protocol.TypedValue;
import io.spoepolicy.testkit.AgentFrame;
import io.spoepolicy.testkit.HaproxyFrames;
import io.spoepolicy.testkit.MessageBuilder;
import io.spoepolicy.testkit.SpopTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every resource limit of the SPOP listener, configured small and enforced over real sockets
 * with the status HAProxy would see. Limits not configurable are checked where the protocol or
 * another limit bounds them (arguments per message; reassembly per connection).
 */
@SpringBootTest(properties = {"spoe.server.port=0", "server.port=0", "spoe.server.host=127.0.0.1",
        "spoe.server.max-frame-size=1024", "spoe.server.limits.max-inbound-frame-size=4096",
        "spoe.server.limits.max-in-flight-per-connection=2", "spoe.server.limits.max-in-flight=3",
        "spoe.server.limits.max-messages-per-frame=2", "spoe.server.limits.max-connections=4",
        "spoe.server.fragmentation.max-message-size=2000", "spoe.server.hello-timeout=1s",
        "spoe.server.drain.linger=500ms", "spoe.policies.deadline=20s"})
class SpopLimitsTest {

    @TestConfiguration(proxyBeanMethods = false)
    static class Policies {
        @Bean
        HoldPolicy holdPolicy() {
            return new HoldPolicy();
        }
    }

    @Autowired
    SpoeServer server;

    @Autowired
    HoldPolicy hold;

    private final List<SpopTestClient> clients = new ArrayList<>();

    @BeforeEach
    void previousTestsConnectionsAreGone() {
        await().atMost(Duration.ofSeconds(10)).until(() -> server.registry().size() == 0);
        hold.close();
    }

    @AfterEach
    void closeClients() throws IOException {
        hold.open();
        for (SpopTestClient client : clients) {
            client.close();
        }
    }

    private SpopTestClient connect() throws IOException {
        SpopTestClient client = SpopTestClient.connect("127.0.0.1", server.address().getPort());
        clients.add(client);
        return client;
    }

    private static SpopMessage hold() {
        return MessageBuilder.message("hold").build();
    }

    private static long disconnectStatus(SpopTestClient client) throws IOException {
        return client.receive(AgentFrame.Disconnect.class).statusCode();
    }

    // ------------------------------------------------------------------ frame size

    @Test
    void beforeTheHelloOnlyTheAgentsOwnFrameSizeIsAccepted() throws IOException {
        Map<String, TypedValue> items = new LinkedHashMap<>();
        items.put("supported-versions", TypedValue.of("2.0"));
        items.put("max-frame-size", TypedValue.uint32(16380));
        items.put("capabilities", TypedValue.of("pipelining"));
        items.put("padding", TypedValue.of("p".repeat(1100)));
        SpopTestClient client = connect();
        client.send(HaproxyFrames.hello(items));
        assertThat(disconnectStatus(client)).isEqualTo(SpopStatus.FRAME_TOO_BIG.code());
        assertThat(client.awaitClose(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void afterTheHelloFramesUpToHaproxysSizeAreAcceptedWithinTheInboundBound() throws IOException {
        SpopTestClient client = connect();
        assertThat(client.handshake(65532, "pipelining").maxFrameSize()).isEqualTo(1024);
        // Early 3.1.x sent up to its own size: 3000 bytes are tolerated (bound 4096)...
        SpopMessage large = MessageBuilder.checkRequest().ip("10.0.0.1").header("x", "y".repeat(3000)).build();
        assertThat(client.request(large).text("action")).isEqualTo("allow");
        // ...5000 are not.
        SpopMessage tooLarge = MessageBuilder.checkRequest().ip("10.0.0.1").header("x", "y".repeat(5000)).build();
        client.send(HaproxyFrames.notify(99, 1, tooLarge));
        assertThat(disconnectStatus(client)).isEqualTo(SpopStatus.FRAME_TOO_BIG.code());
    }

    @Test
    void aHaproxyOfferingLessGetsNoMoreThanItOffered() throws IOException {
        SpopTestClient client = connect();
        assertThat(client.handshake(1024, "pipelining").maxFrameSize()).isEqualTo(1024);
        SpopMessage large = MessageBuilder.checkRequest().header("x", "y".repeat(1500)).build();
        client.send(HaproxyFrames.notify(1, 1, large));
        assertThat(disconnectStatus(client)).isEqualTo(SpopStatus.FRAME_TOO_BIG.code());
    }

    // ------------------------------------------------------------------ reassembly

    @Test
    void aFragmentedNotifyAboveTheReassemblyCapIsAbortedAndTheConnectionKept() throws IOException {
        SpopTestClient client = connect();
        client.handshake(1024, "pipelining");
        SpopMessage large = MessageBuilder.checkRequest().ip("10.0.0.1").header("x", "y".repeat(2500)).build();
        for (byte[] piece : HaproxyFrames.fragmentedNotify(5, 1, List.of(large), 900)) {
            client.send(piece);
        }
        AgentFrame.Ack aborted = client.receive(AgentFrame.Ack.class);
        assertThat(aborted.streamId()).isEqualTo(5);
        assertThat(aborted.aborted()).isTrue();
        SpopMessage fits = MessageBuilder.checkRequest().ip("10.0.0.1").header("x", "y".repeat(1500)).build();
        for (byte[] piece : HaproxyFrames.fragmentedNotify(7, 1, List.of(fits), 900)) {
            client.send(piece);
        }
        assertThat(client.receive(AgentFrame.Ack.class).text("action")).isEqualTo("allow");
    }

    /**
     * One reassembly per connection: fragments of one NOTIFY cannot interleave with another frame,
     * so the per-connection reassembly bound is the per-message cap.
     */
    @Test
    void onlyOneNotifyIsReassembledPerConnection() throws IOException {
        SpopMessage large = MessageBuilder.checkRequest().header("x", "y".repeat(1500)).build();
        SpopTestClient client = connect();
        client.handshake(1024, "pipelining");
        client.send(HaproxyFrames.fragmentedNotify(1, 1, List.of(large), 900).get(0));
        client.send(HaproxyFrames.fragmentedNotify(3, 1, List.of(large), 900).get(0));
        assertThat(disconnectStatus(client)).isEqualTo(SpopStatus.INVALID_INTERLACED_FRAMES.code());

        SpopTestClient other = connect();
        other.handshake(1024, "pipelining");
        List<byte[]> first = HaproxyFrames.fragmentedNotify(1, 1, List.of(large), 900);
        other.send(first.get(0));
        other.send(HaproxyFrames.fragmentedNotify(3, 1, List.of(large), 900).get(1));
        assertThat(disconnectStatus(other)).isEqualTo(SpopStatus.INVALID_INTERLACED_FRAMES.code());
    }

    // ------------------------------------------------------------------ messages and arguments

    @Test
    void aNotifyWithMoreMessagesThanAllowedIsAProtocolError() throws IOException {
        SpopTestClient client = connect();
        client.handshake();
        SpopMessage check = MessageBuilder.checkRequest().ip("10.0.0.1").build();
        client.send(HaproxyFrames.notify(1, 1, List.of(check, check)));
        assertThat(client.receive(AgentFrame.Ack.class).streamId()).isEqualTo(1);
        client.send(HaproxyFrames.notify(3, 1, List.of(check, check, check)));
        assertThat(disconnectStatus(client)).isEqualTo(SpopStatus.INVALID_FRAME.code());
    }

    /** The argument count is one byte on the wire: 255 is the most a message can carry. */
    @Test
    void argumentsPerMessageAreBoundedByTheProtocolsOneByteCount() throws IOException {
        MessageBuilder builder = MessageBuilder.message("check-request").argument("ip", TypedValue.of(
                java.net.InetAddress.getLoopbackAddress()));
        for (int i = 1; i < 255; i++) {
            builder.argument("a" + i, TypedValue.of(i));
        }
        SpopTestClient client = connect();
        client.handshake(4096, "pipelining");
        client.send(HaproxyFrames.notify(1, 1, builder.build()));
        assertThat(client.receive(AgentFrame.Ack.class).streamId()).isEqualTo(1);
        // A count of 255 with three arguments present: the frame ends early.
        byte[] truncated = HaproxyFrames.messagesPayload(List.of(MessageBuilder.message("m")
                .argument("a", TypedValue.of(1)).argument("b", TypedValue.of(2)).argument("c", TypedValue.of(3)).build()));
        truncated[2] = (byte) 255;
        client.send(HaproxyFrames.frame(FrameType.NOTIFY.id(), FrameFlags.FIN, 3, 1, truncated));
        assertThat(disconnectStatus(client)).isEqualTo(SpopStatus.INVALID_FRAME.code());
    }

    // ------------------------------------------------------------------ in flight

    @Test
    void notifiesInFlightPerConnectionStopAtTheLimitAndAllGetTheirAck() throws IOException {
        SpopTestClient client = connect();
        client.handshake();
        for (int i = 0; i < 6; i++) {
            client.send(HaproxyFrames.notify(1 + 2L * i, 1, hold()));
        }
        await().atMost(Duration.ofSeconds(5)).until(hold::running, running -> running == 2);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> hold.running() <= 2);
        hold.open();
        Set<Long> streams = new HashSet<>();
        for (AgentFrame frame : client.receive(6)) {
            streams.add(((AgentFrame.Ack) frame).streamId());
        }
        assertThat(streams).containsExactlyInAnyOrder(1L, 3L, 5L, 7L, 9L, 11L);
    }

    @Test
    void notifiesInFlightOverAllConnectionsStopAtTheTotalLimit() throws IOException {
        SpopTestClient first = connect();
        SpopTestClient second = connect();
        first.handshake();
        second.handshake();
        for (int i = 0; i < 3; i++) {
            first.send(HaproxyFrames.notify(1 + 2L * i, 1, hold()));
            second.send(HaproxyFrames.notify(1 + 2L * i, 1, hold()));
        }
        // 2 per connection would allow 4; the total limit is 3.
        await().atMost(Duration.ofSeconds(5)).until(hold::running, running -> running == 3);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> hold.running() <= 3);
        hold.open();
        assertThat(first.receive(3)).allMatch(AgentFrame.Ack.class::isInstance);
        assertThat(second.receive(3)).allMatch(AgentFrame.Ack.class::isInstance);
        assertThat(hold.started()).isEqualTo(6);
    }

    // ------------------------------------------------------------------ HELLO deadline

    @Test
    void aPeerThatSaysNothingIsClosedAtTheHelloDeadline() throws IOException {
        SpopTestClient client = connect();
        long start = System.nanoTime();
        assertThat(disconnectStatus(client)).isEqualTo(SpopStatus.TIMEOUT.code());
        assertThat(client.awaitClose(Duration.ofSeconds(5))).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }

    @Test
    void aPeerDrippingItsHelloIsClosedAtTheHelloDeadlineToo() throws IOException, InterruptedException {
        byte[] hello = HaproxyFrames.hello(16380, "pipelining", "slow");
        SpopTestClient client = connect();
        long start = System.nanoTime();
        boolean closed = false;
        // One byte every 100 ms: the whole HELLO would take seconds; the deadline does not reset.
        for (int i = 0; i < hello.length && !closed; i++) {
            try {
                client.send(new byte[] {hello[i]});
                closed = client.awaitClose(Duration.ofMillis(100));
            }
            catch (IOException reset) {
                closed = true;
            }
        }
        assertThat(closed).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    }

    // ------------------------------------------------------------------ connections

    @Test
    void connectionsAboveTheLimitAreClosedAtOnceAndAcceptedAgainBelowIt() throws IOException {
        List<SpopTestClient> open = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            SpopTestClient client = connect();
            client.handshake();
            open.add(client);
        }
        SpopTestClient refused = connect();
        assertThat(refused.awaitClose(Duration.ofSeconds(5))).isTrue();
        open.get(0).close();
        await().atMost(Duration.ofSeconds(5)).until(() -> server.registry().size() == 3);
        SpopTestClient accepted = connect();
        assertThat(accepted.handshake().version()).isEqualTo("2.0");
    }
}
