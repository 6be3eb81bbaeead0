package io.spoepolicy.policy.waf.regression;

import io.spoepolicy.policy.waf.WafEngine;
import io.spoepolicy.policy.waf.WafRequest;
import io.spoepolicy.policy.waf.WafResult;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Replays go-ftw cases through a {@link WafEngine} and classifies each one. A case passes when,
 * in every stage, all {@code expect_ids} fired and no {@code no_expect_ids} fired.
 */
final class CrsRegressionRunner {

    /** HAProxy's default tune.bufsize; req.body can carry at most about this much. */
    static final int HAPROXY_BUFFER = 16384;

    /**
     * Cases whose expectation their own description ties to Apache httpd behaviour, the way CRS
     * keeps per-engine override lists for go-ftw. HAProxy behaves differently, so they do not apply.
     */
    private static final Map<String, String> SERVER_SPECIFIC = Map.of(
            "920620-1", "expectation specific to Apache httpd, which merges repeated Content-Type "
                    + "headers; HAProxy forwards both, so 920620 fires as designed");

    private final WafEngine engine;
    private final InetAddress client;

    CrsRegressionRunner(WafEngine engine) {
        this.engine = engine;
        try {
            // Not loopback: CRS's 905 exceptions whitelist local health checks.
            this.client = InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 10});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    CaseOutcome run(FtwCase c) {
        boolean negative = c.stages().stream().allMatch(s -> s.expectIds().isEmpty());
        String notApplicable = SERVER_SPECIFIC.get(c.name());
        for (FtwStage s : c.stages()) {
            String reason = harnessReason(s);
            if (reason != null) {
                return new CaseOutcome(c, CaseOutcome.Status.NOT_APPLICABLE, reason, negative, null,
                        List.of(), List.of());
            }
        }
        List<Long> missing = new ArrayList<>();
        List<Long> unexpected = new ArrayList<>();
        for (FtwStage s : c.stages()) {
            RawHttpRequest raw = RawHttpRequest.fromStage(s.input());
            String rejected = HaproxyAdmission.rejection(raw, HAPROXY_BUFFER);
            if (rejected != null && notApplicable == null) {
                notApplicable = rejected;
            }
            WafResult result = engine.evaluate(toWafRequest(raw.asForwarded()));
            Set<Long> fired = new HashSet<>(result.matchedRuleIds());
            for (Long id : s.expectIds()) {
                if (!fired.contains(id)) {
                    missing.add(id);
                }
            }
            for (Long id : s.noExpectIds()) {
                if (fired.contains(id)) {
                    unexpected.add(id);
                }
            }
        }
        boolean passed = missing.isEmpty() && unexpected.isEmpty();
        if (notApplicable != null) {
            return new CaseOutcome(c, CaseOutcome.Status.NOT_APPLICABLE, notApplicable, negative, passed,
                    missing, unexpected);
        }
        CaseOutcome.Status status = !unexpected.isEmpty() ? CaseOutcome.Status.FALSE_POSITIVE
                : missing.isEmpty() ? CaseOutcome.Status.PASSED : CaseOutcome.Status.FAILED;
        return new CaseOutcome(c, status, null, negative, null, missing, unexpected);
    }

    /**
     * Why a case cannot apply whatever carries it: its assertions are about the web server or log
     * text, its expectation is specific to Apache httpd, or its body exceeds what HAProxy buffers.
     * {@code null} when it applies.
     */
    static String inapplicable(FtwCase c) {
        String specific = SERVER_SPECIFIC.get(c.name());
        if (specific != null) {
            return specific;
        }
        for (FtwStage s : c.stages()) {
            String reason = harnessReason(s);
            if (reason != null) {
                return reason;
            }
            if (RawHttpRequest.fromStage(s.input()).body().length > HAPROXY_BUFFER) {
                return "body larger than the HAProxy buffer (tune.bufsize) that req.body can carry";
            }
        }
        return null;
    }

    /** Cases whose assertion is about the web server or log format, not WAF decisions. */
    private static String harnessReason(FtwStage s) {
        if (s.expectError()) {
            return "expects the HTTP exchange itself to fail (malformed request)";
        }
        if (s.expectIds().isEmpty() && s.noExpectIds().isEmpty()) {
            if (s.expectedStatus() != null) {
                return "asserts only the web server's status " + s.expectedStatus() + ", no WAF rule id";
            }
            if (s.logRegex()) {
                return "asserts only ModSecurity's log text format";
            }
            return "no assertion on rule ids";
        }
        return null;
    }

    WafRequest toWafRequest(RawHttpRequest raw) {
        String uri = raw.uri();
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        String query = q < 0 ? "" : uri.substring(q + 1);
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (Map.Entry<String, String> h : raw.headers()) {
            headers.add(new AbstractMap.SimpleImmutableEntry<>(text(h.getKey()).toLowerCase(Locale.ROOT),
                    text(h.getValue())));
        }
        byte[] body = raw.body();
        String te = raw.header("transfer-encoding");
        if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
            body = dechunk(body);
        }
        return new WafRequest(client, text(raw.method()), text(path), text(query), text(raw.version()),
                headers, body);
    }

    /** Both RawHttpRequest and WafRequest hold byte views (ISO-8859-1), as HAProxy sends bytes. */
    private static String text(String bytes) {
        return bytes;
    }

    /** HAProxy hands the agent the de-chunked body. */
    private static byte[] dechunk(byte[] body) {
        String s = new String(body, StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pos = 0;
        try {
            while (pos < s.length()) {
                int eol = s.indexOf("\r\n", pos);
                if (eol < 0) {
                    return body;
                }
                int size = Integer.parseInt(s.substring(pos, eol).split(";")[0].strip(), 16);
                if (size == 0) {
                    return out.toByteArray();
                }
                out.write(body, eol + 2, size);
                pos = eol + 2 + size + 2;
            }
        } catch (RuntimeException malformed) {
            return body;
        }
        return out.toByteArray();
    }
}
