package io.spoepolicy.protocol;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * Turns the byte stream from HAProxy into {@link InboundFrame}s, one connection per instance.
 *
 * <p>Lengths are checked against the current limit before anything is buffered, so a hostile
 * length field costs nothing. Fragmented NOTIFYs (HAProxy 2.x) are reassembled here, within a
 * byte cap. After the first protocol error the decoder discards everything: the session
 * disconnects and no later byte can be trusted.
 *
 * <p>A NOTIFY's payload is copied once, out of Netty's buffer, into a heap buffer leased from
 * this connection's {@link PayloadArena}, validated and indexed there; messages and their
 * STRING/BINARY values are views into it, so a typical NOTIFY costs no per-value allocation.
 * Each emitted {@link InboundFrame.Notify} holds one reference that its receiver must give back
 * exactly once with {@link InboundFrame.Notify#release()} when the NOTIFY is finished; see
 * {@link PayloadArena} for why a recycled heap copy was chosen over views of Netty's pooled
 * buffers. Nothing handed downstream references a Netty buffer.
 */
public final class SpopFrameDecoder extends ByteToMessageDecoder {

    /** Type byte, four flag bytes and two one-byte ids. */
    public static final int MIN_FRAME_LENGTH = 7;

    private final int maxMessagesPerFrame;
    private final int maxReassembledSize;
    private final PayloadReader.NameCache names = new PayloadReader.NameCache();
    private final PayloadArena arena = new PayloadArena();

    private int maxFrameLength;
    private boolean fragmentationAccepted;
    private boolean failed;

    private Reassembly reassembly;
    private FrameMeter meter = FrameMeter.NONE;

    /** Observes every frame header decoded: its type id and its size with the length prefix. */
    @FunctionalInterface
    public interface FrameMeter {
        FrameMeter NONE = (type, bytes) -> {
        };

        void frame(int type, int bytes);
    }

    public SpopFrameDecoder(int maxFrameLength, int maxMessagesPerFrame, int maxReassembledSize) {
        this.maxFrameLength = maxFrameLength;
        this.maxMessagesPerFrame = maxMessagesPerFrame;
        this.maxReassembledSize = maxReassembledSize;
    }

    public void frameMeter(FrameMeter meter) {
        this.meter = meter;
    }

    /** Changes the largest accepted frame length; the session calls it once the HELLO is done. */
    public void maxFrameLength(int maxFrameLength) {
        this.maxFrameLength = maxFrameLength;
    }

    public int maxFrameLength() {
        return maxFrameLength;
    }

    /** Whether NOTIFY frames without FIN are accepted (the agent announced fragmentation). */
    public void fragmentationAccepted(boolean accepted) {
        this.fragmentationAccepted = accepted;
    }

    /** NOTIFY payloads handed out and not yet released, partial reassembly included. */
    public int leasedPayloads() {
        return arena.leased();
    }

    /** True while a fragmented NOTIFY is partly received. */
    public boolean reassembling() {
        return reassembly != null;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < 4) {
            return;
        }
        long length = in.getUnsignedInt(in.readerIndex());
        try {
            if (length < MIN_FRAME_LENGTH) {
                throw new SpopProtocolException(SpopStatus.INVALID_FRAME,
                        "frame length " + length + " is below the minimum of " + MIN_FRAME_LENGTH);
            }
            if (length > maxFrameLength) {
                throw new SpopProtocolException(SpopStatus.FRAME_TOO_BIG,
                        "frame length " + length + " exceeds max-frame-size " + maxFrameLength);
            }
            if (in.readableBytes() < 4 + length) {
                return;
            }
            in.skipBytes(4);
            meter.frame(in.getUnsignedByte(in.readerIndex()), (int) length + 4);
            InboundFrame frame = decodeFrame(in.readSlice((int) length));
            if (frame != null) {
                out.add(frame);
            }
        }
        catch (SpopProtocolException ex) {
            failed = true;
            dropReassembly();
            in.skipBytes(in.readableBytes());
            throw ex;
        }
    }

    private InboundFrame decodeFrame(ByteBuf frame) {
        int typeId = frame.readUnsignedByte();
        int flags = frame.readInt();
        long streamId = Varint.read(frame);
        long frameId = Varint.read(frame);
        FrameType type = FrameType.fromId(typeId);
        if (type == null) {
            return new InboundFrame.Unknown(typeId, streamId, frameId);
        }
        return switch (type) {
            case HAPROXY_HELLO -> {
                requireConnectionFrame(type, flags, streamId, frameId);
                yield new InboundFrame.HaproxyHello(reader(frame).kvList());
            }
            case HAPROXY_DISCONNECT -> {
                requireConnectionFrame(type, flags, streamId, frameId);
                var items = reader(frame).kvList();
                long status = items.get("status-code") instanceof TypedValue.IntValue value ? value.value() : -1;
                String message = items.get("message") instanceof TypedValue.StringValue value ? value.asString() : "";
                yield new InboundFrame.HaproxyDisconnect(status, message);
            }
            case NOTIFY -> notifyFrame(frame, flags, streamId, frameId);
            case UNSET -> fragment(frame, flags, streamId, frameId);
            // Agent frame types never come from HAProxy; like unknown types they are ignored.
            case AGENT_HELLO, AGENT_DISCONNECT, ACK -> new InboundFrame.Unknown(typeId, streamId, frameId);
        };
    }

    private InboundFrame notifyFrame(ByteBuf frame, int flags, long streamId, long frameId) {
        if (reassembly != null) {
            throw new SpopProtocolException(SpopStatus.INVALID_INTERLACED_FRAMES,
                    "NOTIFY received while a fragmented NOTIFY is incomplete");
        }
        if (FrameFlags.isFin(flags)) {
            int length = frame.readableBytes();
            PayloadBuffer payload = arena.acquire(length);
            frame.getBytes(frame.readerIndex(), payload.data, 0, length);
            return notify(streamId, frameId, payload, length);
        }
        if (!fragmentationAccepted) {
            throw new SpopProtocolException(SpopStatus.FRAGMENTATION_NOT_SUPPORTED,
                    "NOTIFY without FIN but fragmentation was not negotiated");
        }
        if (FrameFlags.isAbort(flags)) {
            return new InboundFrame.FragmentAborted(streamId, frameId);
        }
        reassembly = new Reassembly(streamId, frameId,
                arena.acquire(Math.min(maxReassembledSize, 2 * frame.readableBytes() + 64)));
        return append(frame);
    }

    private InboundFrame fragment(ByteBuf frame, int flags, long streamId, long frameId) {
        Reassembly current = reassembly;
        if (current == null) {
            if (FrameFlags.isAbort(flags)) {
                // The NOTIFY it belonged to was already dropped or never started: nothing to do.
                return new InboundFrame.FragmentAborted(streamId, frameId);
            }
            throw new SpopProtocolException(SpopStatus.INVALID_INTERLACED_FRAMES,
                    "fragment received without a fragmented NOTIFY in progress");
        }
        if (current.streamId != streamId || current.frameId != frameId) {
            throw new SpopProtocolException(SpopStatus.INVALID_INTERLACED_FRAMES,
                    "fragment for another frame than the one being reassembled");
        }
        if (FrameFlags.isAbort(flags)) {
            dropReassembly();
            return new InboundFrame.FragmentAborted(streamId, frameId);
        }
        boolean fin = FrameFlags.isFin(flags);
        if (current.discarding) {
            if (fin) {
                dropReassembly();
            }
            return null;
        }
        InboundFrame rejected = append(frame);
        if (rejected != null || !fin) {
            if (fin) {
                dropReassembly();
            }
            return rejected;
        }
        reassembly = null;
        // The reassembled payload's reference passes to the NOTIFY.
        return notify(streamId, frameId, current.payload, current.length);
    }

    private void dropReassembly() {
        Reassembly current = reassembly;
        reassembly = null;
        if (current != null) {
            current.discard();
        }
    }

    /** Appends a fragment; returns a rejection when the cap is exceeded, else {@code null}. */
    private InboundFrame append(ByteBuf frame) {
        Reassembly current = reassembly;
        int size = frame.readableBytes();
        if ((long) current.length + size > maxReassembledSize) {
            current.discard();
            return new InboundFrame.NotifyTooLarge(current.streamId, current.frameId);
        }
        current.payload.ensureCapacity(current.length + size, maxReassembledSize);
        frame.readBytes(current.payload.data, current.length, size);
        current.length += size;
        return null;
    }

    /** Indexes a payload holding one reference; the reference goes to the NOTIFY or is released. */
    private InboundFrame notify(long streamId, long frameId, PayloadBuffer payload, int length) {
        int generation = payload.generation();
        List<SpopMessage> messages;
        try {
            messages = new PayloadReader(payload.data, 0, length, names).index(payload, generation, maxMessagesPerFrame);
        }
        catch (RuntimeException ex) {
            payload.release(generation);
            throw ex;
        }
        if (messages.isEmpty()) {
            // Nothing can read it: recycle at once, the NOTIFY has nothing to release.
            payload.release(generation);
        }
        return new InboundFrame.Notify(streamId, frameId, messages);
    }

    private PayloadReader reader(ByteBuf frame) {
        int length = frame.readableBytes();
        return new PayloadReader(copy(frame), 0, length, names);
    }

    private static byte[] copy(ByteBuf frame) {
        byte[] data = new byte[frame.readableBytes()];
        frame.getBytes(frame.readerIndex(), data);
        return data;
    }

    private static void requireConnectionFrame(FrameType type, int flags, long streamId, long frameId) {
        if (!FrameFlags.isFin(flags)) {
            throw new SpopProtocolException(SpopStatus.FRAGMENTATION_NOT_SUPPORTED, type + " without FIN");
        }
        if (streamId != 0 || frameId != 0) {
            throw new SpopProtocolException(SpopStatus.INVALID_FRAME, type + " with non-zero stream or frame id");
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        dropReassembly();
    }

    /**
     * A fragmented NOTIFY in progress, in a leased heap buffer, so no Netty buffer is held
     * between reads. A reassembly over the cap keeps discarding its fragments without a buffer.
     */
    private static final class Reassembly {
        final long streamId;
        final long frameId;
        PayloadBuffer payload;
        int length;
        boolean discarding;

        Reassembly(long streamId, long frameId, PayloadBuffer payload) {
            this.streamId = streamId;
            this.frameId = frameId;
            this.payload = payload;
        }

        /** Releases the buffer, once; later fragments of this frame are dropped. */
        void discard() {
            discarding = true;
            length = 0;
            PayloadBuffer held = payload;
            payload = null;
            if (held != null) {
                held.release(held.generation());
            }
        }
    }
}
