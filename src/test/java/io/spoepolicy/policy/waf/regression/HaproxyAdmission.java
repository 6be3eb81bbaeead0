package io.spoepolicy.policy.waf.regression;

import java.util.List;
import java.util.Map;

/**
 * Whether HAProxy would hand a request to the SPOE agent at all. The checks mirror what HAProxy
 * 2.6.12's HTTP/1 parser answered with {@code 400 Bad request} when probed on this machine with
 * raw requests (default {@code mode http}, no {@code accept-invalid-http-request}); everything it
 * answered 200 to is considered carried. Returns the reason, or {@code null} when carried.
 */
final class HaproxyAdmission {

    private static final String TCHAR = "!#$%&'*+-.^_`|~";

    private HaproxyAdmission() {}

    static String rejection(RawHttpRequest r, int bufferSize) {
        if (r.method().isEmpty() || !isToken(r.method())) {
            return "HAProxy rejects the request (400): method is not an HTTP token";
        }
        if (!r.version().matches("HTTP/[0-9]\\.[0-9]")) {
            return "HAProxy rejects the request (400): version '" + printable(r.version()) + "' is not HTTP/d.d";
        }
        String uri = r.uri();
        if (uri.isEmpty() || !(uri.startsWith("/") || uri.equals("*") || uri.contains("://")
                || r.method().equals("CONNECT"))) {
            return "HAProxy rejects the request (400): malformed request target";
        }
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c <= 0x20 || c >= 0x80) {
                return "HAProxy rejects the request (400): control, space or non-ASCII byte in the URI";
            }
            if (c == '#') {
                return "HAProxy rejects the request (400): '#' fragment in the URI";
            }
        }
        for (Map.Entry<String, String> h : r.headers()) {
            if (h.getKey().isEmpty() || !isToken(h.getKey())) {
                return "HAProxy rejects the request (400): invalid header name";
            }
        }
        if (r.headerValues("host").size() > 1) {
            return "HAProxy rejects the request (400): more than one Host header";
        }
        List<String> lengths = r.headerValues("content-length");
        for (String cl : lengths) {
            if (!cl.strip().matches("[0-9]+") || !cl.strip().equals(lengths.get(0).strip())) {
                return "HAProxy rejects the request (400): invalid or conflicting Content-Length";
            }
        }
        String te = r.header("transfer-encoding");
        if (te != null && !te.strip().toLowerCase(java.util.Locale.ROOT).endsWith("chunked")) {
            return "HAProxy rejects the request (400): Transfer-Encoding not ending in chunked";
        }
        if (r.body().length > bufferSize) {
            return "body larger than the HAProxy buffer (tune.bufsize) that req.body can carry";
        }
        return null;
    }

    private static boolean isToken(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(Character.isLetterOrDigit(c) && c < 0x80) && TCHAR.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    private static String printable(String s) {
        return s.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
