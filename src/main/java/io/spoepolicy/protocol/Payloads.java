package io.spoepolicy.protocol;

import java.util.List;
import java.util.Map;

/**
 * Parses frame payloads outside a Netty pipeline, for tools and tests that play HAProxy's part
 * (they read what the agent sends).
 */
public final class Payloads {

    private Payloads() {
    }

    public static Map<String, TypedValue> kvList(byte[] data, int offset, int length) {
        return new PayloadReader(data, offset, offset + length, new PayloadReader.NameCache()).kvList();
    }

    public static List<Action> actions(byte[] data, int offset, int length) {
        return new PayloadReader(data, offset, offset + length, new PayloadReader.NameCache()).actions();
    }

    public static List<SpopMessage> messages(byte[] data, int offset, int length, int maxMessages) {
        PayloadBuffer payload = PayloadBuffer.unmanaged(data);
        return new PayloadReader(data, offset, offset + length, new PayloadReader.NameCache())
                .index(payload, payload.generation(), maxMessages);
    }
}
