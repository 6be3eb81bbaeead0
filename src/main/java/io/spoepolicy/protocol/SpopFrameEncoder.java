package io.spoepolicy.protocol;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;

/**
 * Encodes agent frames. Each frame is sized first and written into one buffer, so it leaves in
 * one write: HAProxy 3.2 reset connections whose AGENT-HELLO arrived in pieces.
 */
public final class SpopFrameEncoder {

    private static final int HEADER = 4 + 1 + 4;

    /** Bytes the frame occupies on the wire, length prefix included. */
    public int encodedSize(OutboundFrame frame) {
        return 4 + frameLength(frame);
    }

    public ByteBuf encode(OutboundFrame frame, ByteBufAllocator allocator) {
        int length = frameLength(frame);
        ByteBuf out = allocator.buffer(4 + length, 4 + length);
        try {
            out.writeInt(length);
            if (frame instanceof OutboundFrame.AgentHello hello) {
                    header(out, FrameType.AGENT_HELLO, FrameFlags.FIN, 0, 0);
                    writeName(out, "version");
                    writeString(out, hello.version());
                    writeName(out, "max-frame-size");
                    out.writeByte(DataType.UINT32.id());
                    Varint.write(out, hello.maxFrameSize());
                    writeName(out, "capabilities");
                writeString(out, String.join(",", hello.capabilities()));
            }
            else if (frame instanceof OutboundFrame.AgentDisconnect disconnect) {
                    header(out, FrameType.AGENT_DISCONNECT, FrameFlags.FIN, 0, 0);
                    writeName(out, "status-code");
                    out.writeByte(DataType.UINT32.id());
                    Varint.write(out, disconnect.statusCode());
                    writeName(out, "message");
                writeString(out, disconnectMessage(disconnect));
            }
            else {
                OutboundFrame.Ack ack = (OutboundFrame.Ack) frame;
                    int flags = ack.abort() ? FrameFlags.FIN | FrameFlags.ABORT : FrameFlags.FIN;
                    header(out, FrameType.ACK, flags, ack.streamId(), ack.frameId());
                for (Action action : ack.actions()) {
                    writeAction(out, action);
                }
            }
            return out;
        }
        catch (RuntimeException ex) {
            out.release();
            throw ex;
        }
    }

    private static int frameLength(OutboundFrame frame) {
        if (frame instanceof OutboundFrame.AgentHello hello) {
            return HEADER - 4 + 2
                    + nameSize("version") + stringSize(hello.version())
                    + nameSize("max-frame-size") + 1 + Varint.size(hello.maxFrameSize())
                    + nameSize("capabilities") + stringSize(String.join(",", hello.capabilities()));
        }
        if (frame instanceof OutboundFrame.AgentDisconnect disconnect) {
            return HEADER - 4 + 2
                    + nameSize("status-code") + 1 + Varint.size(disconnect.statusCode())
                    + nameSize("message") + stringSize(disconnectMessage(disconnect));
        }
        OutboundFrame.Ack ack = (OutboundFrame.Ack) frame;
        return HEADER - 4 + Varint.size(ack.streamId()) + Varint.size(ack.frameId()) + actionsSize(ack.actions());
    }

    private static void header(ByteBuf out, FrameType type, int flags, long streamId, long frameId) {
        out.writeByte(type.id());
        out.writeInt(flags);
        Varint.write(out, streamId);
        Varint.write(out, frameId);
    }

    private static int actionSize(Action action) {
        if (action instanceof Action.SetVar set) {
            return 3 + nameSize(set.name()) + valueSize(set.value());
        }
        return 3 + nameSize(action.name());
    }

    private static void writeAction(ByteBuf out, Action action) {
        if (action instanceof Action.SetVar set) {
            out.writeByte(1);
            out.writeByte(3);
            out.writeByte(set.scope().id());
            writeName(out, set.name());
            writeValue(out, set.value());
        }
        else {
            out.writeByte(2);
            out.writeByte(2);
            out.writeByte(action.scope().id());
            writeName(out, action.name());
        }
    }

    static int valueSize(TypedValue value) {
        if (value instanceof TypedValue.IntValue i) {
            return 1 + Varint.size(i.value());
        }
        if (value instanceof TypedValue.IpValue ip) {
            return 1 + ip.address().getAddress().length;
        }
        if (value instanceof TypedValue.StringValue s) {
            return 1 + Varint.size(s.length()) + s.length();
        }
        if (value instanceof TypedValue.BinaryValue b) {
            return 1 + Varint.size(b.length()) + b.length();
        }
        return 1;
    }

    static void writeValue(ByteBuf out, TypedValue value) {
        if (value instanceof TypedValue.BoolValue b) {
            out.writeByte(DataType.BOOL.id() | (b.value() ? DataType.BOOL_TRUE_FLAG : 0));
        }
        else if (value instanceof TypedValue.IntValue i) {
            out.writeByte(i.type().id());
            Varint.write(out, i.value());
        }
        else if (value instanceof TypedValue.IpValue ip) {
            out.writeByte(ip.type().id());
            out.writeBytes(ip.address().getAddress());
        }
        else if (value instanceof TypedValue.StringValue s) {
            out.writeByte(DataType.STRING.id());
            Varint.write(out, s.length());
            writeView(out, s);
        }
        else if (value instanceof TypedValue.BinaryValue b) {
            out.writeByte(DataType.BINARY.id());
            Varint.write(out, b.length());
            writeView(out, b);
        }
        else {
            out.writeByte(DataType.NULL.id());
        }
    }

    /** A value taken from a finished NOTIFY fails here rather than sending recycled bytes. */
    private static void writeView(ByteBuf out, ByteView view) {
        view.check();
        out.writeBytes(view.array, view.offset, view.length);
        view.validate();
    }

    private static int nameSize(String name) {
        int bytes = ByteBufUtil.utf8Bytes(name);
        return Varint.size(bytes) + bytes;
    }

    private static void writeName(ByteBuf out, String name) {
        int bytes = ByteBufUtil.utf8Bytes(name);
        Varint.write(out, bytes);
        // Reserve exactly the encoded size: buffers are allocated to the frame's exact length.
        ByteBufUtil.reserveAndWriteUtf8(out, name, bytes);
    }

    private static int stringSize(String value) {
        return 1 + nameSize(value);
    }

    private static void writeString(ByteBuf out, String value) {
        out.writeByte(DataType.STRING.id());
        writeName(out, value);
    }

    /** HAProxy 2.x rejects DISCONNECT messages longer than 255 bytes. */
    private static String disconnectMessage(OutboundFrame.AgentDisconnect disconnect) {
        String message = disconnect.message();
        if (ByteBufUtil.utf8Bytes(message) <= 255) {
            return message;
        }
        StringBuilder cut = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < message.length(); ) {
            int cp = message.codePointAt(i);
            int size = ByteBufUtil.utf8Bytes(new String(Character.toChars(cp)));
            if (bytes + size > 255) {
                break;
            }
            cut.appendCodePoint(cp);
            bytes += size;
            i += Character.charCount(cp);
        }
        return cut.toString();
    }

    /** Bytes a list of actions takes in an ACK payload; used to trim ACKs to the frame size. */
    public static int actionsSize(List<Action> actions) {
        int size = 0;
        for (Action action : actions) {
            size += actionSize(action);
        }
        return size;
    }
}
