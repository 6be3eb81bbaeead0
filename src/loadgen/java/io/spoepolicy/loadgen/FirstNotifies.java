package io.spoepolicy.loadgen;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;

import io.spoepolicy.protocol.SpopMessage;
import io.spoepolicy.testkit.MessageBuilder;
import io.spoepolicy.testkit.SpopTestClient;

/**
 * Latency of the first NOTIFYs a freshly started agent answers once it reports ready: waits for
 * {@code /actuator/health/readiness} on the management port, then sends {@code count} requests one
 * at a time on one connection and prints p50/p99/max. Run against an agent started with and
 * without {@code spoe.server.warmup.enabled}.
 *
 * <p>Usage: {@code FirstNotifies <spop-port> <management-port> [count]}
 */
public final class FirstNotifies {

    private FirstNotifies() {
    }

    public static void main(String[] args) throws Exception {
        int spop = Integer.parseInt(args[0]);
        int management = Integer.parseInt(args[1]);
        int count = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        awaitReady(management, Duration.ofMinutes(3));
        SpopMessage[] messages = {
            MessageBuilder.checkRequest().ip("10.20.30.40").method("GET").path("/products/42")
                    .header("host", "shop.example").header("user-agent", "curl/8").build(),
            MessageBuilder.checkRequest().ip("10.20.30.41").method("GET").path("/search").query("q=blue+shoes&p=3")
                    .header("host", "shop.example").header("cookie", "sid=42; lang=en").build(),
            MessageBuilder.checkRequest().ip("10.20.30.42").method("POST").path("/api/cart")
                    .header("host", "shop.example").header("content-type", "application/json")
                    .body("{\"sku\":\"A-1\",\"qty\":1}").build(),
        };
        long[] micros = new long[count];
        try (SpopTestClient client = SpopTestClient.connect("127.0.0.1", spop)) {
            long start = System.nanoTime();
            client.handshake();
            long hello = (System.nanoTime() - start) / 1000;
            for (int i = 0; i < count; i++) {
                long t = System.nanoTime();
                client.request(messages[i % messages.length]);
                micros[i] = (System.nanoTime() - t) / 1000;
            }
            long first = micros[0];
            long[] sorted = micros.clone();
            Arrays.sort(sorted);
            System.out.printf("hello=%dus first=%dus p50=%dus p99=%dus max=%dus sum=%dms%n", hello, first,
                    sorted[count / 2], sorted[(int) Math.ceil(count * 0.99) - 1], sorted[count - 1],
                    Arrays.stream(micros).sum() / 1000);
        }
    }

    private static void awaitReady(int port, Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness")).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            }
            catch (IOException ex) {
                // not listening yet
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("agent not ready within " + timeout);
    }
}
