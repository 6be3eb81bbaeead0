package io.spoepolicy.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

import io.spoepolicy.protocol.FrameFlags;
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
 * The agent-side conformance cases of spop-protocol.md §7, over real sockets against the running
 * service. Case numbers refer to that list.
 */
@SpringBootTest(properties = {"spoe.server.port=0", "server.port=0", "spoe.server.max-frame-size=16380",
        "spoe.policies.deadline=" + SpopConformanceTest.DEADLINE_MILLIS + "ms", "spoe.server.hello-timeout=1s",
        "spoe.server.fragmentation.max-message-size=20000"})
@Import(ConformancePolicies.class)
class SpopConformanceTest {

    /**
     * Long enough that every answer the tests expect from a policy (a cold first check-request, a
     * 10 ms "slow" one, the 19 ACKs that must overtake the gated NOTIFY of case 14) comes before
     * the deadline answers for it on a loaded 2-core machine; at 300 ms a scheduling stall turned
     * them into timeout ACKs.
     */
    static final long DEADLINE_MILLIS = 3000;

    /** Longer than the deadline, so that the timeout ACK is read, not the client's read timeout. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(15);

    @Autowired
    SpoeServer server;

    @Autowired
    ConformancePolicies.Gate gate;

    private SpopTestClient connect() throws IOException {
        return SpopTestClient.connect(new InetSocketAddress("127.0.0.1", server.address().getPort()), READ_TIMEOUT);
    }

    private static SpopMessage message(String name) {
        return MessageBuilder.message(name).build();
    }

    private static SpopMessage slow(long millis) {
        return MessageBuilder.message("slow").argument("ms", TypedValue.of(millis)).build();
    }

    @Test
    void case07AcceptsReorderedKeysUnknownKeysAndSpacedCapabilities() throws IOException {
        Map<String, TypedValue> items = new LinkedHashMap<>();
        items.put("future-key", TypedValue.of(42));
        items.put("capabilities", TypedValue.of(" pipelining , something-new ,async"));
        items.put("engine-id", TypedValue.of("engine"));
        items.put("max-frame-size", new TypedValue.IntValue(io.spoepolicy.protocol.DataType.UINT64, 4096));
        items.put("supported-versions", TypedValue.of("1.0, 2.0"));
        try (SpopTestClient client = connect()) {
            client.send(HaproxyFrames.hello(items));
            AgentFrame.Hello hello = (AgentFrame.Hello) client.receive();
            assertThat(hello.version()).isEqualTo("2.0");
            assertThat(hello.maxFrameSize()).isEqualTo(4096);
            assertThat(client.request(MessageBuilder.checkRequest().ip("10.1.2.3").build()).text("action"))
                    .isEqualTo("allow");
        }
    }

    @Test
    void case08AnswersHealthChecksWithACompleteHello() throws IOException {
        try (SpopTestClient client = connect()) {
            client.send(HaproxyFrames.healthcheckHello());
            AgentFrame.Hello hello = (AgentFrame.Hello) client.receive();
            assertThat(hello.flags()).isEqualTo(FrameFlags.FIN);
            assertThat(hello.items()).containsOnlyKeys("version", "max-frame-size", "capabilities");
            assertThat(hello.version()).isEqualTo("2.0");
            assertThat(hello.maxFrameSize()).isEqualTo(16380);
            assertThat(hello.capabilities()).isNotNull();
        }
    }

    @Test
    void case09NegotiatesTheSmallerFrameSizeAndRefusesBelow256() throws IOException {
        try (SpopTestClient client = connect()) {
            assertThat(client.handshake(65532, "pipelining").maxFrameSize()).isEqualTo(16380);
        }
        try (SpopTestClient client = connect()) {
            assertThat(client.handshake(1024, "pipelining").maxFrameSize()).isEqualTo(1024);
        }
        try (SpopTestClient client = connect()) {
            client.send(HaproxyFrames.hello(255, "pipelining", "e"));
            AgentFrame.Disconnect disconnect = (AgentFrame.Disconnect) client.receive();
            assertThat(disconnect.statusCode()).isEqualTo(SpopStatus.BAD_FRAME_SIZE.code());
            assertThat(client.awaitClose(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void case10RefusesVersionsOtherThan2() throws IOException {
        Map<String, TypedValue> items = new LinkedHashMap<>();
        items.put("supported-versions", TypedValue.of("1.0,2.1"));
        items.put("max-frame-size", TypedValue.uint32(16380));
        items.put("capabilities", TypedValue.of("pipelining"));
        try (SpopTestClient client = connect()) {
            client.send(HaproxyFrames.hello(items));
            AgentFrame.Disconnect disconnect = (AgentFrame.Disconnect) client.receive();
            assertThat(disconnect.statusCode()).isEqualTo(SpopStatus.UNSUPPORTED_VERSION.code());
            assertThat(client.awaitClose(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void case11AnnouncesPipeliningAndFragmentationButNeverAsync() throws IOException {
        try (SpopTestClient client = connect()) {
            AgentFrame.Hello hello = client.handshake(16380, "pipelining,async");
            assertThat(hello.capabilities().split(",")).containsExactlyInAnyOrder("pipelining", "fragmentation");
        }
    }

    @Test
    void case12EchoesStreamIdZeroAndMultiByteIds() throws IOException {
        try (SpopTestClient client = connect()) {
            client.handshake();
            client.send(HaproxyFrames.notify(0, 1, MessageBuilder.checkRequest().ip("10.0.0.1").build()));
            AgentFrame.Ack first = (AgentFrame.Ack) client.receive();
            assertThat(first.streamId()).isZero();
            assertThat(first.frameId()).isEqualTo(1);
            long large = 0x1_0000_0000L + 12345;
            client.send(HaproxyFrames.notify(large, 7, MessageBuilder.checkRequest().ip("10.0.0.1").build()));
            byte[] raw = client.receiveRaw();
            byte[] expectedIds = java.util.Arrays.copyOfRange(
                    HaproxyFrames.notify(large, 7, List.of()), 9, 9 + io.spoepolicy.protocol.Varint.size(large) + 1);
            assertThat(java.util.Arrays.copyOfRange(raw, 9, 9 + expectedIds.length)).isEqualTo(expectedIds);
        }
    }

    @Test
    void case13SameStreamIdWithSuccessiveFrameIds() throws IOException {
        try (SpopTestClient client = connect()) {
            client.handshake();
            for (int frameId = 1; frameId <= 3; frameId++) {
                client.send(HaproxyFrames.notify(42, frameId, MessageBuilder.checkRequest().ip("10.0.0.1").build()));
                AgentFrame.Ack ack = (AgentFrame.Ack) client.receive();
                assertThat(ack.streamId()).isEqualTo(42);
                assertThat(ack.frameId()).isEqualTo(frameId);
            }
        }
    }

    @Test
    void case14PipelinesTwentyNotifiesAndAcksInCompletionOrder() throws IOException {
        try (SpopTestClient client = connect()) {
            client.handshake();
            // The first NOTIFY waits on a gate: its ACK must not hold back the 19 behind it.
            client.send(HaproxyFrames.notify(1, 1, message("gate")));
            for (int i = 1; i < 20; i++) {
                client.send(HaproxyFrames.notify(1 + 2L * i, 1, MessageBuilder.checkRequest().ip("10.0.0.1").build()));
            }
            Set<Long> streams = new HashSet<>();
            for (AgentFrame frame : client.receive(19)) {
                streams.add(((AgentFrame.Ack) frame).streamId());
            }
            assertThat(streams).hasSize(19).doesNotContain(1L);
            gate.open();
            assertThat(((AgentFrame.Ack) client.receive()).streamId()).isEqualTo(1);
        }
    }

    @Test
    void case15ZeroOrSeveralMessagesGetExactlyOneAck() throws IOException {
        try (SpopTestClient client = connect()) {
            client.handshake();
            client.send(HaproxyFrames.notify(1, 1, List.of()));
            AgentFrame.Ack empty = (AgentFrame.Ack) client.receive();
            assertThat(empty.streamId()).isEqualTo(1);
            client.send(HaproxyFrames.notify(3, 1, List.of(MessageBuilder.checkRequest().ip("127.0.0.2").build(),
                    slow(10))));
            AgentFrame.Ack both = (AgentFrame.Ack) client.receive();
            assertThat(both.streamId()).isEqualTo(3);
            assertThat(both.text("action")).isEqualTo("deny");
            assertThat(both.text("slept")).isEqualTo("10");
            // Nothing else follows: the next frame is the answer to the next NOTIFY.
            client.send(HaproxyFrames.notify(5, 1, slow(0)));
            assertThat(((AgentFrame.Ack) client.receive()).streamId()).isEqualTo(5);
        }
    }

    @Test
    void case16ReassemblesFragmentsAbortsAndCaps() throws IOException {
        try (SpopTestClient client = connect()) {
            client.handshake(1024, "pipelining");
            SpopMessage large = MessageBuilder.checkRequest().ip("127.0.0.2").header("x-big", "v".repeat(4000)).build();
            for (byte[] piece : HaproxyFrames.fragmentedNotify(11, 1, List.of(large), 999)) {
                client.send(piece);
            }
            AgentFrame.Ack ack = (AgentFrame.Ack) client.receive();
            assertThat(ack.streamId()).isEqualTo(11);
            assertThat(ack.text("action")).isEqualTo("deny");

            // Aborted by HAProxy: no ACK; the next NOTIFY is answered normally.
            List<byte[]> pieces = HaproxyFrames.fragmentedNotify(13, 1, List.of(large), 999);
            client.send(pieces.get(0));
            client.send(pieces.get(1));
            client.send(HaproxyFrames.abortFragment(13, 1));
            client.send(HaproxyFrames.notify(15, 1, slow(0)));
            assertThat(((AgentFrame.Ack) client.receive()).streamId()).isEqualTo(15);

            // Larger than the reassembly cap (20000 bytes here): an aborting ACK, the rest skipped.
            SpopMessage huge = MessageBuilder.checkRequest().header("x-huge", "h".repeat(30000)).build();
            for (byte[] piece : HaproxyFrames.fragmentedNotify(17, 1, List.of(huge), 999)) {
                client.send(piece);
            }
            AgentFrame.Ack aborted = (AgentFrame.Ack) client.receive();
            assertThat(aborted.streamId()).isEqualTo(17);
            assertThat(aborted.aborted()).isTrue();
            client.send(HaproxyFrames.notify(19, 1, slow(0)));
            assertThat(((AgentFrame.Ack) client.receive()).streamId()).isEqualTo(19);
        }
    }

    @Test
    void case17IgnoresUnknownFrameTypes() throws IOException {
        try (SpopTestClient client = connect()) {
            client.handshake();
            client.send(HaproxyFrames.frame(77, FrameFlags.FIN, 1, 1, new byte[] {1, 2, 3}));
            client.send(HaproxyFrames.notify(3, 1, slow(0)));
            assertThat(((AgentFrame.Ack) client.receive()).streamId()).isEqualTo(3);
        }
    }

    @Test
    void case18AckLayoutHasRawNamesAndScopeByte() throws IOException {
        try (SpopTestClient client = connect()) {
            client.handshake();
            client.send(HaproxyFrames.notify(1, 1, MessageBuilder.checkRequest().ip("10.0.0.1").build()));
            byte[] raw = client.receiveRaw();
            // length, type 103, flags FIN, sid 1, fid 1, then SET-VAR(1) with 3 args, scope txn (2),
            // raw name "action" and a STRING "allow".
            byte[] expected = io.spoepolicy.protocol.Hex.bytes(
                    "67 00 00 00 01 01 01 01 03 02 06 \"action\" 08 05 \"allow\"");
            assertThat(java.util.Arrays.copyOfRange(raw, 4, 4 + expected.length)).isEqualTo(expected);
        }
    }

    @Test
    void case19NeverSendsAnEmptyAckByDefault() throws IOException {
        try (SpopTestClient client = connect()) {
            client.handshake();
            client.send(HaproxyFrames.notify(1, 1, message("silent")));
            client.send(HaproxyFrames.notify(3, 1, message("no-policy-handles-this")));
            for (AgentFrame frame : client.receive(2)) {
                AgentFrame.Ack ack = (AgentFrame.Ack) frame;
                assertThat(ack.actions()).isNotEmpty();
            }
        }
    }

    @Test
    void case20AnswersHaproxyDisconnectAndSendsNoAckAfterIt() throws IOException {
        try (SpopTestClient client = connect()) {
            client.handshake();
            // Still running when the DISCONNECT arrives, even if this thread stalls between the
            // two writes on a loaded machine (200 ms left little room); below the deadline.
            client.send(HaproxyFrames.notify(1, 1, slow(2000)));
            client.send(HaproxyFrames.disconnect(0, "normal"));
            AgentFrame frame = client.receive();
            assertThat(frame).isInstanceOfSatisfying(AgentFrame.Disconnect.class,
                    disconnect -> assertThat(disconnect.statusCode()).isZero());
            assertThat(client.awaitClose(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void case21PeerCloseOnAnIdleConnectionIsClean() throws IOException {
        SpopTestClient client = connect();
        client.handshake();
        // This connection's own session, found by its peer port: the registry's size also moves
        // with the previous tests' connections, which the agent may still be closing.
        int port = client.socket().getLocalPort();
        await().atMost(Duration.ofSeconds(10)).until(() -> hasSessionFrom(port));
        client.socket().setSoLinger(true, 0);
        client.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> !hasSessionFrom(port));
    }

    private boolean hasSessionFrom(int clientPort) {
        return server.registry().snapshot().stream().anyMatch(session ->
                session.peer() instanceof InetSocketAddress peer && peer.getPort() == clientPort);
    }

    @Test
    void case05RejectsShortAndOversizedFrames() throws IOException {
        try (SpopTestClient client = connect()) {
            client.handshake();
            client.send(io.spoepolicy.protocol.Hex.bytes("00 00 00 03 03 00 00"));
            assertThat(((AgentFrame.Disconnect) client.receive()).statusCode())
                    .isEqualTo(SpopStatus.INVALID_FRAME.code());
            assertThat(client.awaitClose(Duration.ofSeconds(5))).isTrue();
        }
        try (SpopTestClient client = connect()) {
            client.handshake(1024, "pipelining");
            SpopMessage tooBig = MessageBuilder.checkRequest().header("x", "y".repeat(2000)).build();
            client.send(HaproxyFrames.notify(1, 1, tooBig));
            assertThat(((AgentFrame.Disconnect) client.receive()).statusCode())
                    .isEqualTo(SpopStatus.FRAME_TOO_BIG.code());
        }
    }

    @Test
    void case06NeverSendsAnAckLargerThanTheNegotiatedSize() throws IOException {
        try (SpopTestClient client = connect()) {
            client.handshake(512, "pipelining");
            client.send(HaproxyFrames.notify(1, 1, message("big")));
            byte[] raw = client.receiveRaw();
            assertThat(raw.length - 4).isLessThanOrEqualTo(512);
            AgentFrame.Ack ack = (AgentFrame.Ack) SpopTestClient.parse(java.util.Arrays.copyOfRange(raw, 4, raw.length));
            // The verdict comes first, so it survives the trimming.
            assertThat(ack.text("action")).isEqualTo("deny");
        }
    }

    @Test
    void notifyBeforeHelloIsAProtocolError() throws IOException {
        try (SpopTestClient client = connect()) {
            client.send(HaproxyFrames.notify(1, 1, slow(0)));
            assertThat(((AgentFrame.Disconnect) client.receive()).statusCode())
                    .isEqualTo(SpopStatus.INVALID_FRAME.code());
        }
    }

    @Test
    void inFlightNotifiesAreAcknowledgedBeforeAProtocolErrorDisconnect() throws IOException {
        try (SpopTestClient client = connect()) {
            client.handshake();
            client.send(HaproxyFrames.notify(1, 1, slow(150)));
            client.send(io.spoepolicy.protocol.Hex.bytes("00 00 00 01 03"));
            assertThat(client.receive()).isInstanceOfSatisfying(AgentFrame.Ack.class,
                    ack -> assertThat(ack.streamId()).isEqualTo(1));
            assertThat(((AgentFrame.Disconnect) client.receive()).statusCode())
                    .isEqualTo(SpopStatus.INVALID_FRAME.code());
        }
    }

    @Test
    void aBrokenConnectionDoesNotDisturbOthers() throws IOException {
        try (SpopTestClient healthy = connect(); SpopTestClient broken = connect()) {
            healthy.handshake();
            broken.handshake();
            broken.send(io.spoepolicy.protocol.Hex.bytes("ff ff ff ff"));
            assertThat(broken.receive()).isInstanceOf(AgentFrame.Disconnect.class);
            for (int i = 0; i < 10; i++) {
                assertThat(healthy.request(MessageBuilder.checkRequest().ip("10.0.0.1").build()).text("action"))
                        .isEqualTo("allow");
            }
        }
    }

    @Test
    void aFailingPolicyGetsAnAckWithAnErrorVariable() throws IOException {
        try (SpopTestClient client = connect()) {
            client.handshake();
            AgentFrame.Ack ack = client.request(message("boom"));
            assertThat(ack.text("agent_error")).isEqualTo("policy-error");
            assertThat(ack.text("policy")).isEqualTo("boom");
            assertThat(ack.variable("action")).isNull();
        }
    }

    @Test
    void aPolicyOverrunningTheDeadlineGetsATimeoutAck() throws IOException {
        try (SpopTestClient client = connect()) {
            client.handshake();
            long start = System.nanoTime();
            AgentFrame.Ack ack = client.request(message("hang"));
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(ack.text("agent_error")).isEqualTo("timeout");
            assertThat(ack.text("policy")).isEqualTo("hang");
            // Never before the deadline; the upper bound only tells "answered" from "hung".
            assertThat(tookMillis).isBetween(DEADLINE_MILLIS - 50, DEADLINE_MILLIS + 10_000);
        }
    }

    @Test
    void synchronousPoliciesRunOffTheEventLoop() throws IOException {
        try (SpopTestClient client = connect()) {
            client.handshake();
            assertThat(client.request(message("thread")).text("thread")).startsWith("spoe-policy");
        }
    }

    @Test
    void aSilentConnectionIsClosedAfterTheHelloTimeout() throws IOException {
        try (SpopTestClient client = connect()) {
            AgentFrame frame = client.receive();
            assertThat(frame).isInstanceOfSatisfying(AgentFrame.Disconnect.class,
                    disconnect -> assertThat(disconnect.statusCode()).isEqualTo(SpopStatus.TIMEOUT.code()));
            assertThat(client.awaitClose(Duration.ofSeconds(5))).isTrue();
        }
    }
}
