package io.spoepolicy.testkit;

import java.util.List;
import java.util.Map;

import io.spoepolicy.protocol.Action;
import io.spoepolicy.protocol.TypedValue;

/** A frame received from the agent, decoded by {@link SpopTestClient}. */
public sealed interface AgentFrame {

    /** The frame's flags field as sent. */
    int flags();

    record Hello(int flags, Map<String, TypedValue> items) implements AgentFrame {
        public String version() {
            return items.get("version") instanceof TypedValue.StringValue s ? s.asString() : null;
        }

        public long maxFrameSize() {
            return items.get("max-frame-size") instanceof TypedValue.IntValue i ? i.value() : -1;
        }

        /** The capabilities string, or {@code null} when the key is missing. */
        public String capabilities() {
            return items.get("capabilities") instanceof TypedValue.StringValue s ? s.asString() : null;
        }
    }

    record Disconnect(int flags, long statusCode, String message) implements AgentFrame {
    }

    record Ack(int flags, long streamId, long frameId, List<Action> actions) implements AgentFrame {

        /** The value of a SET-VAR with this name, or {@code null}. */
        public TypedValue variable(String name) {
            for (Action action : actions) {
                if (action instanceof Action.SetVar set && set.name().equals(name)) {
                    return set.value();
                }
            }
            return null;
        }

        /** A SET-VAR value as text (strings decoded, integers and booleans printed), or {@code null}. */
        public String text(String name) {
            TypedValue value = variable(name);
            if (value instanceof TypedValue.StringValue s) {
                return s.asString();
            }
            if (value instanceof TypedValue.IntValue i) {
                return Long.toString(i.value());
            }
            if (value instanceof TypedValue.BoolValue b) {
                return Boolean.toString(b.value());
            }
            return value == null ? null : value.toString();
        }

        public boolean aborted() {
            return (flags & io.spoepolicy.protocol.FrameFlags.ABORT) != 0;
        }
    }

    /** A frame type the agent should never send. */
    record Other(int flags, int type, byte[] payload) implements AgentFrame {
    }
}
