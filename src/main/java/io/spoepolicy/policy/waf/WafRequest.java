package io.spoepolicy.policy.waf;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One HTTP request as HAProxy hands it to the agent.
 *
 * <p>{@code path} and {@code query} are raw (still percent-encoded), exactly as they appear on the
 * request line; {@code query} is {@code null} or empty when there is none. Header names are
 * lower-case and keep their order; repeated headers appear repeatedly. Strings are byte views
 * (ISO-8859-1, one char per octet, as the SPOE header decoder produces them); a string holding
 * characters above U+00FF is taken as text and inspected as its UTF-8 bytes.
 */
public record WafRequest(
        InetAddress clientIp,
        String method,
        String path,
        String query,
        String protocol,
        List<Map.Entry<String, String>> headers,
        byte[] body) {

    private static final byte[] NO_BODY = new byte[0];

    public WafRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        protocol = protocol == null ? "HTTP/1.1" : protocol;
        query = query == null ? "" : query;
        headers = headers == null ? List.of() : List.copyOf(headers);
        // Deliberately not copied: bodies can be large and the engine never writes to them.
        body = body == null ? NO_BODY : body;
    }

    /** The request target as on the request line: path, then {@code ?query} when there is one. */
    public String uri() {
        return query.isEmpty() ? path : path + "?" + query;
    }

    /** Value of the first header with this lower-case name, or {@code null}. */
    public String header(String lowerCaseName) {
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equals(lowerCaseName)) {
                return h.getValue();
            }
        }
        return null;
    }
}
