package io.spoepolicy.testsupport;

import java.util.ArrayList;
import java.util.List;

import io.spoepolicy.protocol.SpopMessage;
import io.spoepolicy.testkit.HaproxyFrames;
import io.spoepolicy.testkit.MessageBuilder;

/**
 * The messages the benchmarks send, shaped like the {@code check-request} of
 * {@code docs/haproxy/spoe.conf}: client address, method, path, query and {@code req.hdrs_bin}.
 * In the test sources so the WAF benchmarks there measure the same request as JMH and the load
 * generator (which see the test sources in the {@code bench} profile).
 */
public final class BenchMessages {

    /** Ten headers of a browser request, as {@code wrk} in the end-to-end run sends them too. */
    public static final List<String[]> TYPICAL_HEADERS = List.of(
            new String[] {"host", "shop.example.com"},
            new String[] {"user-agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
                    + "Chrome/126.0.0.0 Safari/537.36"},
            new String[] {"accept", "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"},
            new String[] {"accept-language", "en-US,en;q=0.9,de;q=0.8"},
            new String[] {"accept-encoding", "gzip, deflate, br"},
            new String[] {"referer", "https://shop.example.com/catalog/shoes?page=1"},
            new String[] {"cookie", "session=3f9a1c7e2b8d4a6f9e0c1b2a3d4e5f60; theme=dark"},
            new String[] {"x-forwarded-for", "198.51.100.23"},
            new String[] {"x-request-id", "6c1f0e1a-9d2b-4c3e-8f7a-1b2c3d4e5f60"},
            new String[] {"connection", "keep-alive"});

    /** The client address of every message unless a benchmark gives another (TEST-NET-3). */
    public static final String CLIENT_IP = "203.0.113.7";
    public static final String PATH = "/api/v1/products/12345";
    public static final String QUERY = "page=2&sort=price&q=running+shoes";

    private BenchMessages() {
    }

    /** IP, method, path, query and ten headers: the typical NOTIFY of the benchmarks. */
    public static SpopMessage typical() {
        return typical(CLIENT_IP, List.of());
    }

    /** The typical message from another client address, with more headers after the ten. */
    public static SpopMessage typical(String ip, List<String[]> extraHeaders) {
        MessageBuilder builder = MessageBuilder.message("check-request").ip(ip).method("GET").path(PATH).query(QUERY);
        TYPICAL_HEADERS.forEach(header -> builder.header(header[0], header[1]));
        extraHeaders.forEach(header -> builder.header(header[0], header[1]));
        return builder.build();
    }

    /** The typical message with about {@code headerBytes} of headers (padded with x-pad-N headers). */
    public static SpopMessage bigHeaders(int headerBytes) {
        MessageBuilder builder = MessageBuilder.message("check-request").ip(CLIENT_IP).method("GET").path(PATH).query(QUERY);
        List<String[]> headers = new ArrayList<>(TYPICAL_HEADERS);
        int size = MessageBuilder.headersBinary(headers).length;
        for (int i = 0; size < headerBytes; i++) {
            String[] pad = {"x-pad-" + i, "v".repeat(100)};
            headers.add(pad);
            size = MessageBuilder.headersBinary(headers).length;
        }
        headers.forEach(header -> builder.header(header[0], header[1]));
        return builder.build();
    }

    /** Only the client address: the smallest useful NOTIFY. */
    public static SpopMessage minimal() {
        return MessageBuilder.message("check-request").ip(CLIENT_IP).build();
    }

    /** By name, for command lines: typical, big (8 KB of headers) or minimal. */
    public static SpopMessage named(String name) {
        return switch (name) {
            case "typical" -> typical();
            case "big" -> bigHeaders(8192);
            case "minimal" -> minimal();
            default -> throw new IllegalArgumentException("unknown message '" + name + "': typical, big or minimal");
        };
    }

    /** The LIST-OF-MESSAGES payload of a NOTIFY carrying {@code message}. */
    public static byte[] payload(SpopMessage message) {
        return HaproxyFrames.messagesPayload(List.of(message));
    }
}
