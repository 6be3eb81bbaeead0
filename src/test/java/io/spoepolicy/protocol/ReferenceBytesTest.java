package io.spoepolicy.protocol;

import java.net.InetAddress;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The reference frames of spop-protocol.md §1.6, byte for byte, in both directions. */
class ReferenceBytesTest {

    static final String HEALTHCHECK_HELLO = """
            00 00 00 4e  01  00 00 00 01  00 00
            12 "supported-versions" 08 03 "2.0"
            0e "max-frame-size"     03 fc f0 06
            0c "capabilities"       08 00
            0b "healthcheck"        11""";

    static final String AGENT_HELLO = """
            00 00 00 40 65 00 00 00 01 00 00
            07 "version" 08 03 "2.0"   0e "max-frame-size" 03 fc f0 06   0c "capabilities" 08 0a "pipelining\"""";

    static final String NOTIFY = """
            00 00 00 66 03 00 00 00 01 01 01
            0d "check-request" 04
            02 "ip" 06 c0 00 02 0a
            06 "method" 08 03 "GET"
            04 "path" 08 06 "/admin"
            07 "headers" 09 25 04 "host" 0b "example.com" 0a "user-agent" 06 "curl/8" 00 00""";

    static final String ACK_BLOCK = """
            00 00 00 11 67 00 00 00 01 01 01 01 03 02 05 "block" 11""";

    static final String EMPTY_ACK = "00 00 00 07 67 00 00 00 01 01 01";

    static final String AGENT_DISCONNECT = """
            00 00 00 25 66 00 00 00 01 00 00 0b "status-code" 03 00 07 "message" 08 06 "normal\"""";

    private final SpopFrameEncoder encoder = new SpopFrameEncoder();

    @Test
    void decodesTheHealthCheckHello() {
        InboundFrame.HaproxyHello hello = (InboundFrame.HaproxyHello) decodeOne(Hex.bytes(HEALTHCHECK_HELLO));
        assertThat(hello.supportedVersions()).containsExactly("2.0");
        assertThat(hello.maxFrameSize()).isEqualTo(16380);
        assertThat(hello.capabilities()).isEmpty();
        assertThat(hello.healthcheck()).isTrue();
        assertThat(hello.engineId()).isNull();
    }

    @Test
    void encodesTheAgentHelloExactly() {
        assertThat(encode(new OutboundFrame.AgentHello("2.0", 16380, List.of("pipelining"))))
                .isEqualTo(Hex.hex(Hex.bytes(AGENT_HELLO)));
        assertThat(Hex.bytes(AGENT_HELLO)).hasSize(68);
    }

    @Test
    void decodesTheReferenceNotify() throws Exception {
        InboundFrame.Notify notify = (InboundFrame.Notify) decodeOne(Hex.bytes(NOTIFY));
        assertThat(notify.streamId()).isEqualTo(1);
        assertThat(notify.frameId()).isEqualTo(1);
        assertThat(notify.messages()).hasSize(1);
        SpopMessage message = notify.messages().get(0);
        assertThat(message.name()).isEqualTo("check-request");
        assertThat(message.arguments()).extracting(SpopArgument::name).containsExactly("ip", "method", "path", "headers");
        assertThat(((TypedValue.IpValue) message.argument("ip")).address()).isEqualTo(InetAddress.getByName("192.0.2.10"));
        assertThat(((TypedValue.StringValue) message.argument("method")).asString()).isEqualTo("GET");
        assertThat(((TypedValue.StringValue) message.argument("path")).asString()).isEqualTo("/admin");
        TypedValue.BinaryValue headers = (TypedValue.BinaryValue) message.argument("headers");
        var parsed = headers.read(io.spoepolicy.policy.RequestHeaders::parse);
        assertThat(parsed.first("host")).isEqualTo("example.com");
        assertThat(parsed.first("User-Agent")).isEqualTo("curl/8");
        assertThat(parsed.size()).isEqualTo(2);
    }

    @Test
    void encodesTheReferenceAcks() {
        assertThat(encode(new OutboundFrame.Ack(1, 1,
                List.of(Action.setVar(VarScope.TRANSACTION, "block", TypedValue.of(true))))))
                .isEqualTo(Hex.hex(Hex.bytes(ACK_BLOCK)));
        assertThat(encode(new OutboundFrame.Ack(1, 1, List.of()))).isEqualTo(Hex.hex(Hex.bytes(EMPTY_ACK)));
    }

    @Test
    void encodesTheReferenceDisconnect() {
        assertThat(encode(OutboundFrame.AgentDisconnect.of(SpopStatus.NORMAL)))
                .isEqualTo(Hex.hex(Hex.bytes(AGENT_DISCONNECT)));
    }

    @Test
    void echoesMultiByteIdsByteForByte() {
        // HAProxy 2.x stream ids grow with its request counter, e.g. f3 bc 78 in the #2490 dump.
        byte[] idBytes = Hex.bytes("f3 bc 78");
        long streamId = Varint.read(Unpooled.wrappedBuffer(idBytes));
        String ack = encode(new OutboundFrame.Ack(streamId, 1, List.of()));
        assertThat(ack).isEqualTo("00 00 00 09 67 00 00 00 01 f3 bc 78 01");
    }

    @Test
    void sizesEveryFrameExactly() {
        List<OutboundFrame> frames = List.of(
                new OutboundFrame.AgentHello("2.0", 16380, List.of("pipelining", "fragmentation")),
                new OutboundFrame.AgentDisconnect(9, "max-frame-size too big or too small"),
                new OutboundFrame.Ack(Long.MAX_VALUE, 3, List.of(
                        Action.setVar(VarScope.REQUEST, "n", TypedValue.of(-1L)),
                        Action.setVar(VarScope.SESSION, "ip6", TypedValue.of(InetAddress.getLoopbackAddress())),
                        Action.setVar(VarScope.RESPONSE, "bin", TypedValue.binary(new byte[300])),
                        Action.setVar(VarScope.PROCESS, "nul", TypedValue.NULL),
                        Action.unsetVar(VarScope.TRANSACTION, "gone"))));
        for (OutboundFrame frame : frames) {
            ByteBuf buffer = encoder.encode(frame, ByteBufAllocator.DEFAULT);
            assertThat(buffer.readableBytes()).isEqualTo(encoder.encodedSize(frame));
            assertThat(buffer.getInt(0)).isEqualTo(buffer.readableBytes() - 4);
            buffer.release();
        }
    }

    @Test
    void cutsDisconnectMessagesTo255Bytes() {
        String longMessage = "é".repeat(200);
        ByteBuf buffer = encoder.encode(new OutboundFrame.AgentDisconnect(99, longMessage), ByteBufAllocator.DEFAULT);
        byte[] bytes = new byte[buffer.readableBytes() - 4];
        buffer.getBytes(4, bytes);
        buffer.release();
        var items = Payloads.kvList(bytes, 7, bytes.length - 7);
        assertThat(((TypedValue.StringValue) items.get("message")).length()).isLessThanOrEqualTo(255);
        assertThat(((TypedValue.StringValue) items.get("message")).asString()).isEqualTo("é".repeat(127));
    }

    private String encode(OutboundFrame frame) {
        ByteBuf buffer = encoder.encode(frame, ByteBufAllocator.DEFAULT);
        try {
            byte[] bytes = new byte[buffer.readableBytes()];
            buffer.getBytes(0, bytes);
            return Hex.hex(bytes);
        }
        finally {
            buffer.release();
        }
    }

    static InboundFrame decodeOne(byte[] bytes) {
        EmbeddedChannel channel = new EmbeddedChannel(new SpopFrameDecoder(16380, 64, 1 << 20));
        ByteBuf input = Unpooled.wrappedBuffer(bytes);
        channel.writeInbound(input);
        InboundFrame frame = channel.readInbound();
        assertThat((Object) channel.readInbound()).isNull();
        assertThat(channel.finishAndReleaseAll()).isFalse();
        assertThat(input.refCnt()).isZero();
        return frame;
    }
}
