package io.spoepolicy.protocol;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import io.spoepolicy.bench.JmhDefaults;
import io.spoepolicy.testsupport.BenchMessages;
import io.spoepolicy.policy.PolicyRequest;
import io.spoepolicy.testkit.HaproxyFrames;

/**
 * The SPOP codec: decoding a NOTIFY as the session receives it (a whole frame in a direct
 * buffer, length prefix included) and encoding an ACK. Lives in the protocol package to call the
 * decoder's {@code decode} directly, without a channel.
 */
@State(Scope.Thread)
public class CodecBenchmark extends JmhDefaults {

    private ByteBuf typical;
    private ByteBuf big;
    private SpopFrameDecoder decoder;
    private final List<Object> out = new ArrayList<>(1);
    private final SpopFrameEncoder encoder = new SpopFrameEncoder();
    private OutboundFrame.Ack ack;

    @Setup
    public void setUp() {
        typical = direct(HaproxyFrames.notify(1, 1, BenchMessages.typical()));
        big = direct(HaproxyFrames.notify(1, 1, BenchMessages.bigHeaders(8192)));
        decoder = new SpopFrameDecoder(1 << 20, 64, 1 << 20);
        ack = new OutboundFrame.Ack(12, 3456, List.of(
                Action.setVar(VarScope.TRANSACTION, "action", TypedValue.of("deny")),
                Action.setVar(VarScope.TRANSACTION, "status", TypedValue.of(403L)),
                Action.setVar(VarScope.TRANSACTION, "reason", TypedValue.of("ip-denied"))));
    }

    @TearDown
    public void tearDown() {
        typical.release();
        big.release();
    }

    private static ByteBuf direct(byte[] frame) {
        ByteBuf buffer = Unpooled.directBuffer(frame.length);
        buffer.writeBytes(frame);
        return buffer;
    }

    private Object decode(ByteBuf frame) {
        frame.readerIndex(0);
        out.clear();
        decoder.decode(null, frame, out);
        return out.get(0);
    }

    /**
     * IP, method, path, query and ten headers (625 payload bytes). The NOTIFY is released as the
     * session releases it after the ACK, so its payload buffer is recycled as in the agent.
     */
    @Benchmark
    public Object decodeTypicalNotify() {
        InboundFrame.Notify notify = (InboundFrame.Notify) decode(typical);
        notify.release();
        return notify;
    }

    /** The typical message with 8 KB of headers. */
    @Benchmark
    public Object decodeNotify8kHeaders() {
        InboundFrame.Notify notify = (InboundFrame.Notify) decode(big);
        notify.release();
        return notify;
    }

    /** Decode, then read every argument a policy of the default set reads, headers parsed. */
    @Benchmark
    public Object decodeTypicalAndReadAll() {
        InboundFrame.Notify notify = (InboundFrame.Notify) decode(typical);
        PolicyRequest request = new PolicyRequest(notify.messages().get(0), "engine");
        int result = request.clientIp().hashCode() + request.method().length() + request.path().length()
                + request.query().length() + request.headers().first("user-agent").length();
        notify.release();
        return result;
    }

    /** An ACK with three SET-VARs (action, status, reason), into a buffer from Netty's allocator. */
    @Benchmark
    public int encodeAck3SetVars() {
        ByteBuf buffer = encoder.encode(ack, ByteBufAllocator.DEFAULT);
        int size = buffer.readableBytes();
        buffer.release();
        return size;
    }
}
