package io.spoepolicy.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.extension.ExtendWith;

import io.spoepolicy.policy.RequestHeaders;
import io.spoepolicy.protocol.Varint;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes {@link RequestHeaders#parse}, which reads {@code req.hdrs_bin} sent by HAProxy but built
 * from whatever the HTTP client wrote. Properties: the only failure is an
 * {@link IllegalArgumentException}; a block that parses re-encodes to one that parses to the
 * same headers; lookups never fail.
 */
@ExtendWith(QuietLogs.class)
class RequestHeadersFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void parse(byte[] input) {
        RequestHeaders headers;
        try {
            headers = RequestHeaders.parse(input, 0, input.length);
        }
        catch (IllegalArgumentException expected) {
            return;
        }
        assertThat(headers.size()).isLessThanOrEqualTo(input.length / 2);
        RequestHeaders again = RequestHeaders.parse(encode(headers), 0, encode(headers).length);
        assertThat(again.asList()).isEqualTo(headers.asList());
        for (Map.Entry<String, String> entry : headers.asList()) {
            assertThat(headers.first(entry.getKey())).isNotNull();
            assertThat(headers.all(entry.getKey())).contains(entry.getValue());
        }
        headers.toString();
    }

    /** The req.hdrs_bin layout: varint-prefixed name and value pairs, then two zero lengths. */
    private static byte[] encode(RequestHeaders headers) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<String, String> entry : headers.asList()) {
            field(out, entry.getKey().getBytes(StandardCharsets.ISO_8859_1));
            field(out, entry.getValue().getBytes(StandardCharsets.ISO_8859_1));
        }
        out.write(0);
        out.write(0);
        return out.toByteArray();
    }

    private static void field(ByteArrayOutputStream out, byte[] bytes) {
        byte[] length = new byte[Varint.MAX_BYTES];
        out.write(length, 0, Varint.write(length, 0, bytes.length));
        out.writeBytes(bytes);
    }
}
