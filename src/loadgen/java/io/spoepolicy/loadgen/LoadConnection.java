package io.spoepolicy.loadgen;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import org.HdrHistogram.Histogram;

import io.spoepolicy.protocol.FrameFlags;
import io.spoepolicy.protocol.FrameType;
import io.spoepolicy.protocol.Varint;
import io.spoepolicy.testkit.HaproxyFrames;

/**
 * One SPOP connection playing HAProxy: HELLO, then {@code depth} NOTIFYs kept in flight, each ACK
 * answered by the next NOTIFY on the same stream slot (HAProxy 3.x keeps at most 20 per
 * connection). Latency runs from writing a NOTIFY to reading its ACK. Everything here runs on the
 * connection's event loop; the run's flags are read from there.
 */
final class LoadConnection extends SpopFrameHandler {

    private final LoadRun run;
    private final int depth;
    private final byte[] payload;
    private final long[] sentAt;
    private final Histogram histogram = new Histogram(60_000_000_000L, 3);
    private long nextFrameId = 1;
    private long acks;
    private long aborted;
    private int inFlight;
    private boolean handshaken;

    LoadConnection(LoadRun run, int depth, byte[] payload) {
        this.run = run;
        this.depth = depth;
        this.payload = payload;
        this.sentAt = new long[depth];
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(Unpooled.wrappedBuffer(HaproxyFrames.hello(16380, "pipelining", "bench-" + ctx.channel().id())));
    }

    @Override
    void frameRead(ChannelHandlerContext ctx, int type, int flags, ByteBuf frame) {
        if (type == FrameType.ACK.id()) {
            long now = System.nanoTime();
            int slot = (int) Varint.read(frame);
            inFlight--;
            if (run.measuring) {
                histogram.recordValue(now - sentAt[slot]);
                acks++;
                if ((flags & FrameFlags.ABORT) != 0) {
                    aborted++;
                }
            }
            if (run.sending) {
                send(ctx, slot);
            }
        }
        else if (type == FrameType.AGENT_HELLO.id()) {
            handshaken = true;
            run.connected();
            for (int slot = 0; slot < depth && run.sending; slot++) {
                send(ctx, slot);
            }
        }
        else if (type == FrameType.AGENT_DISCONNECT.id()) {
            run.disconnected();
            ctx.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        run.failed(cause);
        ctx.close();
    }

    private void send(ChannelHandlerContext ctx, int slot) {
        long frameId = nextFrameId++;
        int length = 1 + 4 + Varint.size(slot) + Varint.size(frameId) + payload.length;
        ByteBuf out = ctx.alloc().buffer(4 + length);
        out.writeInt(length);
        out.writeByte(FrameType.NOTIFY.id());
        out.writeInt(FrameFlags.FIN);
        Varint.write(out, slot);
        Varint.write(out, frameId);
        out.writeBytes(payload);
        sentAt[slot] = System.nanoTime();
        inFlight++;
        ctx.write(out);
    }

    /** Copies of the counters; call on the event loop. */
    Snapshot snapshot() {
        return new Snapshot(histogram.copy(), acks, aborted, inFlight, handshaken);
    }

    /** Clears what was recorded before the measured window; call on the event loop. */
    void reset() {
        histogram.reset();
        acks = 0;
        aborted = 0;
    }

    record Snapshot(Histogram histogram, long acks, long aborted, int inFlight, boolean handshaken) {
    }
}
