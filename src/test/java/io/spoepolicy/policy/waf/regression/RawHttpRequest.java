package io.spoepolicy.policy.waf.regression;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * An HTTP/1 request as bytes on the wire would carry it, built from a go-ftw stage the way go-ftw
 * sends it (including its header auto-completion), or decoded from {@code encoded_request}.
 * Strings hold bytes (ISO-8859-1 view).
 */
record RawHttpRequest(String method, String uri, String version, List<Map.Entry<String, String>> headers,
        byte[] body) {

    static RawHttpRequest fromStage(Map<String, Object> in) {
        Object encoded = in.get("encoded_request");
        if (encoded != null) {
            return parse(Base64.getMimeDecoder().decode(encoded.toString()));
        }
        String method = bytes(String.valueOf(in.getOrDefault("method", "GET")));
        String uri = bytes(String.valueOf(in.getOrDefault("uri", "/")));
        String version = bytes(String.valueOf(in.getOrDefault("version", "HTTP/1.1")));
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        Object h = in.get("headers");
        if (h instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                headers.add(Map.entry(bytes(String.valueOf(e.getKey())),
                        e.getValue() == null ? "" : bytes(String.valueOf(e.getValue()))));
            }
        }
        Object data = in.get("data");
        byte[] body = data == null ? new byte[0] : String.valueOf(data).getBytes(StandardCharsets.UTF_8);
        boolean autocomplete = !Boolean.FALSE.equals(in.get("autocomplete_headers"));
        if (autocomplete) {
            if (body.length > 0 && header(headers, "content-length") == null) {
                headers.add(Map.entry("Content-Length", Integer.toString(body.length)));
            }
            if (header(headers, "connection") == null) {
                headers.add(Map.entry("Connection", "close"));
            }
        }
        return new RawHttpRequest(method, uri, version, headers, body);
    }

    /**
     * The request as HAProxy forwards it: without Content-Length when Transfer-Encoding is present
     * (RFC 9112 6.3, HAProxy drops it) and with no body when neither frames one.
     */
    RawHttpRequest asForwarded() {
        boolean chunked = header("transfer-encoding") != null;
        List<Map.Entry<String, String>> kept = new ArrayList<>();
        for (Map.Entry<String, String> h : headers) {
            if (!(chunked && h.getKey().equalsIgnoreCase("content-length"))) {
                kept.add(h);
            }
        }
        byte[] framed = body;
        if (!chunked && header("content-length") == null) {
            framed = new byte[0];
        }
        return new RawHttpRequest(method, uri, version, kept, framed);
    }

    static String header(List<Map.Entry<String, String>> headers, String name) {
        for (Map.Entry<String, String> e : headers) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    String header(String name) {
        return header(headers, name);
    }

    List<String> headerValues(String name) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> e : headers) {
            if (e.getKey().equalsIgnoreCase(name)) {
                out.add(e.getValue());
            }
        }
        return out;
    }

    /** Parses a raw request: request line, header lines, empty line, body. */
    static RawHttpRequest parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        int sep = 4;
        if (headEnd < 0) {
            headEnd = text.indexOf("\n\n");
            sep = 2;
        }
        String head = headEnd < 0 ? text : text.substring(0, headEnd);
        String body = headEnd < 0 ? "" : text.substring(headEnd + sep);
        String[] lines = head.split("\r?\n");
        String[] requestLine = lines[0].split(" ", -1);
        String method = requestLine[0];
        String uri = requestLine.length > 1 ? requestLine[1] : "";
        String version = requestLine.length > 2 ? String.join(" ", java.util.Arrays.copyOfRange(requestLine, 2, requestLine.length)) : "";
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.add(Map.entry(lines[i].substring(0, colon), lines[i].substring(colon + 1).strip()));
            } else {
                headers.add(Map.entry(lines[i], ""));
            }
        }
        return new RawHttpRequest(method, uri, version, headers, body.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String bytes(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }
}
