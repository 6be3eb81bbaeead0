package io.spoepolicy.policy.waf;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds {@link WafRequest}s for tests. */
public final class Requests {

    private String method = "GET";
    private String path = "/";
    private String query = "";
    private final List<Map.Entry<String, String>> headers = new ArrayList<>(List.of(
            Map.entry("host", "shop.example"),
            Map.entry("user-agent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"),
            Map.entry("accept", "text/html,application/xhtml+xml")));
    private byte[] body = new byte[0];

    public static Requests get(String pathAndQuery) {
        Requests r = new Requests();
        int q = pathAndQuery.indexOf('?');
        r.path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        r.query = q < 0 ? "" : pathAndQuery.substring(q + 1);
        return r;
    }

    public static Requests postForm(String path, String form) {
        Requests r = get(path);
        r.method = "POST";
        return r.header("content-type", "application/x-www-form-urlencoded").body(form);
    }

    public Requests header(String name, String value) {
        headers.removeIf(h -> h.getKey().equals(name));
        headers.add(Map.entry(name, value));
        return this;
    }

    public Requests body(String text) {
        this.body = text.getBytes(StandardCharsets.UTF_8);
        header("content-length", Integer.toString(body.length));
        return this;
    }

    public Requests body(byte[] bytes) {
        this.body = bytes;
        header("content-length", Integer.toString(body.length));
        return this;
    }

    public WafRequest build() {
        try {
            return new WafRequest(InetAddress.getByName("198.51.100.7"), method, path, query, "HTTP/1.1",
                    headers, body);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
