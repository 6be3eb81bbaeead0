package io.spoepolicy.policy.waf.bench;

import io.spoepolicy.policy.waf.WafRequest;
import io.spoepolicy.policy.waf.WafResult;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Setup;

/**
 * Evaluation time of one typical request with OWASP CRS loaded (10 headers, 5 query arguments,
 * 1 KB urlencoded form) at paranoia levels 1 and 2. Sample-time mode, so the report has the
 * median and the tail. {@link WafAdversarialBenchmark} covers hostile 64 KB bodies.
 */
@BenchmarkMode(Mode.SampleTime)
public class WafBenchmark extends CrsEngineBenchmark {

    private WafRequest typical;

    @Setup(Level.Trial)
    public void setUp() {
        typical = typicalRequest();
    }

    @Benchmark
    public WafResult typical() {
        return engine.evaluate(typical);
    }

    static WafRequest typicalRequest() {
        StringBuilder form = new StringBuilder();
        String[] fields = {"first_name=Jane", "last_name=Doe", "email=jane.doe%40example.org",
            "street=12+Main+Street", "city=Springfield", "zip=12345", "country=US",
            "phone=%2B1-555-0100", "newsletter=on", "plan=premium"};
        while (form.length() < 900) {
            for (String f : fields) {
                if (form.length() > 0) {
                    form.append('&');
                }
                form.append(f);
            }
        }
        form.append("&comment=").append("Please+deliver+after+5pm%2C+thanks.+".repeat(3));
        byte[] body = form.substring(0, Math.min(form.length(), 1024)).getBytes(StandardCharsets.ISO_8859_1);
        return new WafRequest(address(), "POST", "/account/checkout/confirm",
                "step=3&lang=en&currency=USD&ref=newsletter_2024&session_hint=a1b2c3d4", "HTTP/1.1",
                List.of(Map.entry("host", "shop.example.com"),
                        Map.entry("user-agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36"),
                        Map.entry("accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
                        Map.entry("accept-language", "en-US,en;q=0.9"),
                        Map.entry("accept-encoding", "gzip, deflate, br"),
                        Map.entry("content-type", "application/x-www-form-urlencoded"),
                        Map.entry("content-length", Integer.toString(body.length)),
                        Map.entry("referer", "https://shop.example.com/account/checkout?step=2"),
                        Map.entry("cookie", "session=3f2a9c7e1b; cart=17; consent=yes"),
                        Map.entry("origin", "https://shop.example.com")),
                body);
    }

    static String adversarialBody(String kind) {
        int size = 64 * 1024;
        StringBuilder sb = new StringBuilder(size + 64).append("data=");
        switch (kind) {
            case "nested-brackets" -> {
                while (sb.length() < size) {
                    sb.append("((((\"'<[{");
                }
            }
            case "quote-storm" -> {
                while (sb.length() < size) {
                    sb.append("a'\"`\\;|&$(");
                }
            }
            case "sql-keywords" -> {
                while (sb.length() < size) {
                    sb.append("select union or and 1=1 -- /* */ ");
                }
            }
            case "many-args" -> {
                sb.setLength(0);
                int i = 0;
                while (sb.length() < size) {
                    sb.append("a").append(i++).append("=%3Cx%3E'%20or%201%3D1&");
                }
            }
            default -> throw new IllegalArgumentException(kind);
        }
        return sb.toString();
    }

    static WafRequest post(String form) {
        byte[] body = form.getBytes(StandardCharsets.ISO_8859_1);
        return new WafRequest(address(), "POST", "/submit", "", "HTTP/1.1",
                new ArrayList<>(List.of(Map.entry("host", "shop.example.com"),
                        Map.entry("user-agent", "Mozilla/5.0"),
                        Map.entry("accept", "*/*"),
                        Map.entry("content-type", "application/x-www-form-urlencoded"),
                        Map.entry("content-length", Integer.toString(body.length)))),
                body);
    }

    private static InetAddress address() {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) 198, 51, 100, 23});
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
