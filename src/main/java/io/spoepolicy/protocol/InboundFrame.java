package io.spoepolicy.protocol;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A frame received from HAProxy, fully decoded (fragments already reassembled).
 */
public sealed interface InboundFrame {

    /**
     * HAPROXY-HELLO: the first frame of every connection. Keys are kept as sent; lookups use the
     * exact key names because HAProxy sends exactly these.
     */
    record HaproxyHello(Map<String, TypedValue> items) implements InboundFrame {

        public static final String SUPPORTED_VERSIONS = "supported-versions";
        public static final String MAX_FRAME_SIZE = "max-frame-size";
        public static final String CAPABILITIES = "capabilities";
        public static final String ENGINE_ID = "engine-id";
        public static final String HEALTHCHECK = "healthcheck";

        public HaproxyHello {
            items = Collections.unmodifiableMap(items);
        }

        /** The comma-separated versions, trimmed; empty when the key is missing. */
        public List<String> supportedVersions() {
            return commaList(SUPPORTED_VERSIONS);
        }

        /** Capability tokens, trimmed and lower-cased; empty when the key is missing. */
        public List<String> capabilities() {
            List<String> tokens = new ArrayList<>();
            for (String token : commaList(CAPABILITIES)) {
                tokens.add(token.toLowerCase(Locale.ROOT));
            }
            return tokens;
        }

        /** The announced max-frame-size (any integer type), or -1 when absent or not an integer. */
        public long maxFrameSize() {
            return items.get(MAX_FRAME_SIZE) instanceof TypedValue.IntValue value ? value.value() : -1;
        }

        /** The engine id, or {@code null} (health checks carry none). */
        public String engineId() {
            return items.get(ENGINE_ID) instanceof TypedValue.StringValue value ? value.asString() : null;
        }

        public boolean healthcheck() {
            return items.get(HEALTHCHECK) instanceof TypedValue.BoolValue value && value.value();
        }

        private List<String> commaList(String key) {
            if (!(items.get(key) instanceof TypedValue.StringValue value)) {
                return List.of();
            }
            List<String> tokens = new ArrayList<>();
            for (String token : value.asString().split(",")) {
                String trimmed = token.trim();
                if (!trimmed.isEmpty()) {
                    tokens.add(trimmed);
                }
            }
            return tokens;
        }
    }

    /** HAPROXY-DISCONNECT: HAProxy closes the connection; the agent answers and closes too. */
    record HaproxyDisconnect(long statusCode, String message) implements InboundFrame {
    }

    /**
     * NOTIFY, reassembled when it came in fragments. {@code streamId} and {@code frameId} are
     * echoed in the ACK; they are not unique keys (HAProxy 2.x reuses them).
     *
     * <p>A decoded NOTIFY holds one reference to the payload buffer its messages read from (all
     * messages of one NOTIFY share it). Whoever receives it from the decoder calls
     * {@link #release()} exactly once when the NOTIFY is finished: answered, dropped, or its
     * connection closed. Evaluations still running then keep the payload alive through
     * {@link SpopMessage#retain()}. A second release throws
     * {@link io.netty.util.IllegalReferenceCountException}.
     */
    record Notify(long streamId, long frameId, List<SpopMessage> messages) implements InboundFrame {
        public Notify {
            messages = List.copyOf(messages);
        }

        /** Gives back the decoder's reference; a no-op for NOTIFYs built from owned messages. */
        public void release() {
            if (!messages.isEmpty()) {
                messages.get(0).release();
            }
        }
    }

    /** HAProxy aborted a fragmented NOTIFY; nothing is to be acknowledged. */
    record FragmentAborted(long streamId, long frameId) implements InboundFrame {
    }

    /**
     * A fragmented NOTIFY outgrew the reassembly cap. The agent answers with an aborting ACK and
     * discards the frame's remaining fragments.
     */
    record NotifyTooLarge(long streamId, long frameId) implements InboundFrame {
    }

    /** A frame type the protocol does not define; ignored by the agent. */
    record Unknown(int type, long streamId, long frameId) implements InboundFrame {
    }
}
