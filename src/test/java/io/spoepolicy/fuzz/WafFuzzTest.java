package io.spoepolicy.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.extension.ExtendWith;

import io.spoepolicy.policy.waf.InspectionLimits;
import io.spoepolicy.policy.waf.WafEngine;
import io.spoepolicy.policy.waf.WafRequest;
import io.spoepolicy.policy.waf.WafResult;
import io.spoepolicy.policy.waf.WafRules;
import io.spoepolicy.policy.waf.WafRulesLoader;
import io.spoepolicy.policy.waf.WafSettings;
import io.spoepolicy.policy.waf.request.RequestData;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes what the WAF does with a client's request: query, cookie and body parsing (urlencoded,
 * JSON, XML, multipart) into {@link RequestData}, then the built-in rules over it.
 *
 * <p>Input layout: one byte picks the content type, then query, cookie and body separated by
 * {@code 0x00} bytes, all as the raw bytes a client may send. Properties: nothing throws, the
 * argument and body bounds hold, every evaluation ends with an action, and no input takes more
 * than the per-input timeout the fuzz execution sets (a regular expression or parser blowing up
 * shows as a timeout); Jazzer's sanitizers also flag XML external entity fetches.
 */
@ExtendWith(QuietLogs.class)
class WafFuzzTest {

    private static final String[] CONTENT_TYPES = {"application/x-www-form-urlencoded", "application/json",
        "text/xml", "multipart/form-data; boundary=XyZ", "text/plain", null};
    private static final InspectionLimits LIMITS = new InspectionLimits(4096, 64, Duration.ZERO);
    private static final WafEngine ENGINE = engine();

    @FuzzTest(maxDuration = "10s")
    void evaluate(byte[] input) throws Exception {
        if (input.length == 0) {
            return;
        }
        String contentType = CONTENT_TYPES[(input[0] & 0xff) % CONTENT_TYPES.length];
        List<byte[]> parts = split(input, 1, 3);
        String query = latin1(parts.get(0));
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        headers.add(Map.entry("host", "fuzz.example"));
        if (parts.get(1).length > 0) {
            headers.add(Map.entry("cookie", latin1(parts.get(1))));
        }
        if (contentType != null) {
            headers.add(Map.entry("content-type", contentType));
        }
        WafRequest request = new WafRequest(InetAddress.getLoopbackAddress(), "POST", "/fuzz", query, "HTTP/1.1",
                headers, parts.get(2));

        RequestData data = new RequestData(request, LIMITS);
        assertThat(data.argsGet.size() + data.argsPost.size()).isLessThanOrEqualTo(LIMITS.maxArgs());
        assertThat(data.body.length()).isLessThanOrEqualTo(LIMITS.maxBodyBytes());
        assertThat(data.xml.size()).isLessThanOrEqualTo(LIMITS.maxArgs() + 1);

        WafResult result = ENGINE.evaluate(request);
        assertThat(result.action()).isNotNull();
    }

    /** {@code count} parts separated by 0x00 (missing parts are empty, extra separators stay in the last). */
    private static List<byte[]> split(byte[] input, int from, int count) {
        List<byte[]> parts = new ArrayList<>(count);
        int start = from;
        for (int i = 0; i < count - 1; i++) {
            int end = start;
            while (end < input.length && input[end] != 0) {
                end++;
            }
            parts.add(java.util.Arrays.copyOfRange(input, Math.min(start, input.length), end));
            start = Math.min(input.length, end + 1);
        }
        parts.add(java.util.Arrays.copyOfRange(input, start, input.length));
        return parts;
    }

    private static String latin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static WafEngine engine() {
        try {
            WafRules rules = WafRulesLoader.builtIn(List.of());
            return new WafEngine(rules, WafSettings.DEFAULTS);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
