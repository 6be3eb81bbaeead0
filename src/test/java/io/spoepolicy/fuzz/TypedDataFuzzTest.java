package io.spoepolicy.fuzz;

import java.util.List;
import java.util.Map;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.extension.ExtendWith;

import io.spoepolicy.protocol.Action;
import io.spoepolicy.protocol.Payloads;
import io.spoepolicy.protocol.SpopMessage;
import io.spoepolicy.protocol.SpopProtocolException;
import io.spoepolicy.protocol.TypedValue;
import io.spoepolicy.testkit.HaproxyFrames;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the payload parsers: typed data inside KV-lists (HELLO, DISCONNECT), LIST-OF-MESSAGES
 * (NOTIFY) and LIST-OF-ACTIONS (ACK, read by the test kit). The first byte picks the parser.
 * Properties: the only failure is a {@link SpopProtocolException}; a message list that parses
 * re-encodes (as HAProxy would) to bytes that parse to the same messages.
 */
@ExtendWith(QuietLogs.class)
class TypedDataFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void parse(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int length = input.length - 1;
        try {
            switch (input[0] & 0x03) {
                case 0 -> {
                    Map<String, TypedValue> items = Payloads.kvList(input, 1, length);
                    items.values().forEach(TypedDataFuzzTest::touch);
                }
                case 1, 2 -> {
                    int max = (input[0] & 0x02) == 0 ? 64 : 3;
                    List<SpopMessage> messages = Payloads.messages(input, 1, length, max);
                    assertThat(messages.size()).isLessThanOrEqualTo(max);
                    messages.forEach(message -> message.arguments().forEach(argument -> touch(argument.value())));
                    byte[] again = HaproxyFrames.messagesPayload(messages);
                    assertThat(Payloads.messages(again, 0, again.length, max)).isEqualTo(messages);
                }
                default -> {
                    List<Action> actions = Payloads.actions(input, 1, length);
                    actions.forEach(action -> {
                        if (action instanceof Action.SetVar set) {
                            touch(set.value());
                        }
                    });
                }
            }
        }
        catch (SpopProtocolException expected) {
            assertThat(expected.status()).isNotNull();
        }
    }

    /** Reads a value the way policies and the session do, which must not throw either. */
    private static void touch(TypedValue value) {
        value.type();
        if (value instanceof TypedValue.StringValue string) {
            string.asString();
        }
        else if (value instanceof TypedValue.IpValue ip) {
            ip.address().getHostAddress();
        }
        value.toString();
    }
}
