package io.spoepolicy.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A fixed number of identical HTTP/1.1 requests spread over N concurrent keep-alive connections to
 * 127.0.0.1, recording the status and chosen headers of every request. A request that gets no
 * response is recorded as failed (status -1) and its connection is replaced; nothing is retried.
 *
 * <pre>{@code
 * HttpLoadResult result = HttpLoad.to(port).path("/").connections(20).requests(200)
 *         .capture("x-policy-action", "x-policy-error").run();
 * assertThat(result.countMissingHeader("x-policy-action")).isZero();
 * }</pre>
 */
public final class HttpLoad {

    private final int port;
    private String method = "GET";
    private String path = "/";
    private final Map<String, String> headers = new LinkedHashMap<>();
    private byte[] body;
    private String sourceAddress;
    private int connections = 1;
    private int requests = 1;
    private final Set<String> capture = new LinkedHashSet<>();
    private Duration timeout = Duration.ofSeconds(60);
    private Duration ioTimeout = Duration.ofSeconds(10);

    private HttpLoad(int port) {
        this.port = port;
    }

    public static HttpLoad to(int port) {
        return new HttpLoad(port);
    }

    /** One GET with every response header captured. */
    public static HttpOutcome get(int port, String path) {
        return to(port).path(path).send();
    }

    public HttpLoad method(String method) {
        this.method = method;
        return this;
    }

    public HttpLoad path(String path) {
        this.path = path;
        return this;
    }

    public HttpLoad header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public HttpLoad body(String body) {
        this.body = body.getBytes(StandardCharsets.UTF_8);
        return this;
    }

    /** Local address to connect from, e.g. {@code "127.0.0.2"} (any 127/8 address works on Linux). */
    public HttpLoad from(String sourceAddress) {
        this.sourceAddress = sourceAddress;
        return this;
    }

    public HttpLoad connections(int connections) {
        this.connections = connections;
        return this;
    }

    public HttpLoad requests(int requests) {
        this.requests = requests;
        return this;
    }

    /** Response headers to record; none means all. */
    public HttpLoad capture(String... headerNames) {
        Arrays.stream(headerNames).map(h -> h.toLowerCase(Locale.ROOT)).forEach(capture::add);
        return this;
    }

    /** Bound for the whole run; requests not done by then are recorded as failed. */
    public HttpLoad timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    public HttpLoad ioTimeout(Duration ioTimeout) {
        this.ioTimeout = ioTimeout;
        return this;
    }

    /** Sends a single request and returns its outcome. */
    public HttpOutcome send() {
        return connections(1).requests(1).run().outcomes().get(0);
    }

    public HttpLoadResult run() {
        byte[] request = encodeRequest();
        AtomicReferenceArray<HttpOutcome> outcomes = new AtomicReferenceArray<>(requests);
        AtomicInteger nextRequest = new AtomicInteger();
        int workers = Math.min(connections, requests);
        ExecutorService executor = Executors.newFixedThreadPool(workers, runnable -> {
            Thread thread = new Thread(runnable, "http-load");
            thread.setDaemon(true);
            return thread;
        });
        long start = System.nanoTime();
        for (int i = 0; i < workers; i++) {
            executor.execute(() -> runConnection(request, nextRequest, outcomes));
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
                executor.awaitTermination(ioTimeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        List<HttpOutcome> results = new ArrayList<>(requests);
        for (int i = 0; i < requests; i++) {
            HttpOutcome outcome = outcomes.get(i);
            results.add(outcome != null ? outcome : HttpOutcome.failed("not completed within " + timeout));
        }
        return new HttpLoadResult(List.copyOf(results), elapsed);
    }

    private void runConnection(byte[] request, AtomicInteger nextRequest, AtomicReferenceArray<HttpOutcome> outcomes) {
        RawHttpConnection connection = null;
        try {
            for (int index = nextRequest.getAndIncrement(); index < requests && !Thread.currentThread().isInterrupted();
                    index = nextRequest.getAndIncrement()) {
                try {
                    if (connection == null || !connection.reusable()) {
                        closeQuietly(connection);
                        connection = new RawHttpConnection(port, sourceAddress, ioTimeout);
                    }
                    outcomes.set(index, connection.exchange(request, method.equals("HEAD"), capture));
                } catch (IOException | RuntimeException e) {
                    outcomes.set(index, HttpOutcome.failed(e.toString()));
                    closeQuietly(connection);
                    connection = null;
                }
            }
        } finally {
            closeQuietly(connection);
        }
    }

    private byte[] encodeRequest() {
        StringBuilder head = new StringBuilder()
                .append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(port).append("\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.UTF_8);
        if (body == null) {
            return headBytes;
        }
        byte[] all = Arrays.copyOf(headBytes, headBytes.length + body.length);
        System.arraycopy(body, 0, all, headBytes.length, body.length);
        return all;
    }

    private static void closeQuietly(RawHttpConnection connection) {
        if (connection != null) {
            connection.close();
        }
    }
}
