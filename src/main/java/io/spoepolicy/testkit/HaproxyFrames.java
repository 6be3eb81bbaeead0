package io.spoepolicy.testkit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.spoepolicy.protocol.DataType;
import io.spoepolicy.protocol.FrameFlags;
import io.spoepolicy.protocol.FrameType;
import io.spoepolicy.protocol.SpopArgument;
import io.spoepolicy.protocol.SpopMessage;
import io.spoepolicy.protocol.TypedValue;
import io.spoepolicy.protocol.Varint;

/**
 * Encodes the frames HAProxy sends, byte for byte, for tests and load generators that play
 * HAProxy's part.
 */
public final class HaproxyFrames {

    private HaproxyFrames() {
    }

    /** A HAPROXY-HELLO as HAProxy sends it on a data connection. */
    public static byte[] hello(long maxFrameSize, String capabilities, String engineId) {
        Payload payload = new Payload();
        payload.name("supported-versions").string("2.0");
        payload.name("max-frame-size").uint32(maxFrameSize);
        payload.name("capabilities").string(capabilities);
        if (engineId != null) {
            payload.name("engine-id").string(engineId);
        }
        return frame(FrameType.HAPROXY_HELLO.id(), FrameFlags.FIN, 0, 0, payload.bytes());
    }

    /** The health-check HELLO of {@code option spop-check}. */
    public static byte[] healthcheckHello() {
        Payload payload = new Payload();
        payload.name("supported-versions").string("2.0");
        payload.name("max-frame-size").uint32(16380);
        payload.name("capabilities").string("");
        payload.name("healthcheck").bool(true);
        return frame(FrameType.HAPROXY_HELLO.id(), FrameFlags.FIN, 0, 0, payload.bytes());
    }

    /** A HELLO with arbitrary items, in the given order. */
    public static byte[] hello(Map<String, TypedValue> items) {
        Payload payload = new Payload();
        items.forEach((name, value) -> payload.name(name).value(value));
        return frame(FrameType.HAPROXY_HELLO.id(), FrameFlags.FIN, 0, 0, payload.bytes());
    }

    public static byte[] disconnect(int status, String message) {
        Payload payload = new Payload();
        payload.name("status-code").uint32(status);
        payload.name("message").string(message);
        return frame(FrameType.HAPROXY_DISCONNECT.id(), FrameFlags.FIN, 0, 0, payload.bytes());
    }

    public static byte[] notify(long streamId, long frameId, List<SpopMessage> messages) {
        return frame(FrameType.NOTIFY.id(), FrameFlags.FIN, streamId, frameId, messagesPayload(messages));
    }

    public static byte[] notify(long streamId, long frameId, SpopMessage message) {
        return notify(streamId, frameId, List.of(message));
    }

    /** The LIST-OF-MESSAGES payload of a NOTIFY. */
    public static byte[] messagesPayload(List<SpopMessage> messages) {
        Payload payload = new Payload();
        for (SpopMessage message : messages) {
            payload.name(message.name());
            payload.out.write(message.arguments().size());
            for (SpopArgument argument : message.arguments()) {
                payload.name(argument.name()).value(argument.value());
            }
        }
        return payload.bytes();
    }

    /**
     * A NOTIFY cut into fragments of at most {@code pieceSize} payload bytes: a NOTIFY without FIN,
     * then UNSET frames, the last one with FIN (HAProxy 2.x with fragmentation).
     */
    public static List<byte[]> fragmentedNotify(long streamId, long frameId, List<SpopMessage> messages,
            int pieceSize) {
        byte[] payload = messagesPayload(messages);
        java.util.ArrayList<byte[]> frames = new java.util.ArrayList<>();
        for (int offset = 0; offset < payload.length; offset += pieceSize) {
            int end = Math.min(payload.length, offset + pieceSize);
            boolean last = end == payload.length;
            int type = offset == 0 ? FrameType.NOTIFY.id() : FrameType.UNSET.id();
            frames.add(frame(type, last ? FrameFlags.FIN : 0, streamId, frameId,
                    java.util.Arrays.copyOfRange(payload, offset, end)));
        }
        return frames;
    }

    /** An UNSET frame with FIN|ABORT: HAProxy gives up on a fragmented NOTIFY. */
    public static byte[] abortFragment(long streamId, long frameId) {
        return frame(FrameType.UNSET.id(), FrameFlags.FIN | FrameFlags.ABORT, streamId, frameId, new byte[0]);
    }

    /** Any frame: length, type, flags, ids, payload. */
    public static byte[] frame(int type, int flags, long streamId, long frameId, byte[] payload) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(type);
        writeInt(body, flags);
        writeVarint(body, streamId);
        writeVarint(body, frameId);
        body.writeBytes(payload);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeInt(out, body.size());
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    static void writeInt(ByteArrayOutputStream out, int value) {
        out.write(value >>> 24);
        out.write(value >>> 16);
        out.write(value >>> 8);
        out.write(value);
    }

    static void writeVarint(ByteArrayOutputStream out, long value) {
        byte[] bytes = new byte[Varint.MAX_BYTES];
        int end = Varint.write(bytes, 0, value);
        out.write(bytes, 0, end);
    }

    /** Builds KV-list and message payloads. */
    static final class Payload {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Payload name(String name) {
            byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
            writeVarint(out, bytes.length);
            out.writeBytes(bytes);
            return this;
        }

        Payload string(String value) {
            return value(TypedValue.of(value));
        }

        Payload uint32(long value) {
            return value(TypedValue.uint32(value));
        }

        Payload bool(boolean value) {
            return value(TypedValue.of(value));
        }

        Payload value(TypedValue value) {
            if (value instanceof TypedValue.BoolValue b) {
                out.write(DataType.BOOL.id() | (b.value() ? DataType.BOOL_TRUE_FLAG : 0));
            }
            else if (value instanceof TypedValue.IntValue i) {
                out.write(i.type().id());
                writeVarint(out, i.value());
            }
            else if (value instanceof TypedValue.IpValue ip) {
                out.write(ip.type().id());
                out.writeBytes(ip.address().getAddress());
            }
            else if (value instanceof TypedValue.StringValue s) {
                out.write(DataType.STRING.id());
                writeVarint(out, s.length());
                out.writeBytes(s.bytes());
            }
            else if (value instanceof TypedValue.BinaryValue b) {
                out.write(DataType.BINARY.id());
                writeVarint(out, b.length());
                out.writeBytes(b.bytes());
            }
            else {
                out.write(DataType.NULL.id());
            }
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
