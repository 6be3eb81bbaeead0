package io.spoepolicy.protocol;

import java.util.List;
import java.util.Objects;

/**
 * A frame the agent sends.
 */
public sealed interface OutboundFrame {

    /** AGENT-HELLO. The capabilities key is always sent, even when empty. */
    record AgentHello(String version, long maxFrameSize, List<String> capabilities) implements OutboundFrame {
        public AgentHello {
            Objects.requireNonNull(version, "version");
            capabilities = List.copyOf(capabilities);
        }
    }

    /**
     * AGENT-DISCONNECT. The message is cut to 255 bytes because HAProxy 2.x treats a longer
     * one as an invalid frame.
     */
    record AgentDisconnect(int statusCode, String message) implements OutboundFrame {
        public AgentDisconnect {
            Objects.requireNonNull(message, "message");
        }

        public static AgentDisconnect of(SpopStatus status) {
            return new AgentDisconnect(status.code(), status.reason());
        }

        public static AgentDisconnect of(SpopStatus status, String message) {
            return new AgentDisconnect(status.code(), message);
        }
    }

    /**
     * ACK for one NOTIFY: same ids, the actions in order. With {@code abort} set it tells HAProxy
     * the agent gave up on a fragmented frame.
     */
    record Ack(long streamId, long frameId, List<Action> actions, boolean abort) implements OutboundFrame {
        public Ack {
            actions = List.copyOf(actions);
        }

        public Ack(long streamId, long frameId, List<Action> actions) {
            this(streamId, frameId, actions, false);
        }
    }
}
