package io.spoepolicy.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A steady HTTP load that runs in the background until stopped and counts every response: N
 * keep-alive connections to 127.0.0.1, each sending GETs at its share of a fixed total rate.
 *
 * <p>Each response is classified by two headers: a decision header (its absence means the request
 * went through without a decision) and an error header (HAProxy's {@code set-on-error} variable).
 * A request that gets no response on a reused connection is sent once more on a fresh one, as HTTP
 * clients do for idempotent requests when a keep-alive connection closes under them (HAProxy closes
 * idle client connections on reload); both the retry and a final failure are counted.
 *
 * <pre>{@code
 * try (PacedHttpLoad load = PacedHttpLoad.start(port, 32, 500, "x-policy-action", "x-policy-error")) {
 *     ...
 *     PacedHttpLoad.Counts counts = load.stop();
 * }
 * }</pre>
 */
public final class PacedHttpLoad implements AutoCloseable {

    private final int port;
    private final byte[] request;
    private final Set<String> capture;
    private final String decisionHeader;
    private final String errorHeader;
    private final long intervalNanos;
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean running = true;

    private final AtomicLong responses = new AtomicLong();
    private final AtomicLong missingDecision = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final ConcurrentMap<String, AtomicLong> decisions = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, AtomicLong> errors = new ConcurrentHashMap<>();
    private final ConcurrentMap<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
    private final List<String> failureSamples = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final long startNanos = System.nanoTime();

    private PacedHttpLoad(int port, int connections, int ratePerSecond, String decisionHeader, String errorHeader) {
        this.port = port;
        this.decisionHeader = decisionHeader.toLowerCase(Locale.ROOT);
        this.errorHeader = errorHeader.toLowerCase(Locale.ROOT);
        this.capture = Set.of(this.decisionHeader, this.errorHeader);
        this.request = ("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        this.intervalNanos = TimeUnit.SECONDS.toNanos(1) * connections / ratePerSecond;
        for (int i = 0; i < connections; i++) {
            Thread thread = new Thread(this::runConnection, "paced-load-" + i);
            thread.setDaemon(true);
            workers.add(thread);
        }
    }

    /**
     * Starts {@code connections} clients sending {@code ratePerSecond} requests per second in total.
     */
    public static PacedHttpLoad start(int port, int connections, int ratePerSecond, String decisionHeader,
            String errorHeader) {
        PacedHttpLoad load = new PacedHttpLoad(port, connections, ratePerSecond, decisionHeader, errorHeader);
        load.workers.forEach(Thread::start);
        return load;
    }

    /** The counts so far, while the load goes on. */
    public Counts counts() {
        return new Counts(responses.get(), missingDecision.get(), retried.get(), failed.get(), snapshot(decisions),
                snapshot(errors), snapshot(statuses), List.copyOf(failureSamples),
                Duration.ofNanos(System.nanoTime() - startNanos));
    }

    /** Stops every client after its current request and returns the final counts. */
    public Counts stop() {
        running = false;
        for (Thread worker : workers) {
            try {
                worker.join(TimeUnit.SECONDS.toMillis(15));
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return counts();
    }

    @Override
    public void close() {
        if (running) {
            stop();
        }
    }

    private void runConnection() {
        RawHttpConnection connection = null;
        long next = System.nanoTime() + (long) (Math.random() * intervalNanos);
        try {
            while (running) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                    continue;
                }
                next += intervalNanos;
                connection = exchange(connection);
            }
        }
        finally {
            if (connection != null) {
                connection.close();
            }
        }
    }

    /** One request, retried once on a fresh connection if a reused one closed under it. */
    private RawHttpConnection exchange(RawHttpConnection current) {
        RawHttpConnection connection = current;
        for (int attempt = 0; attempt < 2; attempt++) {
            boolean reused = connection != null && connection.reusable();
            try {
                if (!reused) {
                    if (connection != null) {
                        connection.close();
                    }
                    connection = new RawHttpConnection(port, null, Duration.ofSeconds(10));
                }
                record(connection.exchange(request, false, capture));
                return connection;
            }
            catch (IOException | RuntimeException ex) {
                if (connection != null) {
                    connection.close();
                }
                connection = null;
                if (reused && attempt == 0) {
                    retried.incrementAndGet();
                    continue;
                }
                failed.incrementAndGet();
                if (failureSamples.size() < 10) {
                    failureSamples.add(ex.toString());
                }
                return null;
            }
        }
        return connection;
    }

    private void record(HttpOutcome outcome) {
        responses.incrementAndGet();
        statuses.computeIfAbsent(outcome.status(), key -> new AtomicLong()).incrementAndGet();
        String decision = outcome.header(decisionHeader).orElse(null);
        if (decision == null) {
            missingDecision.incrementAndGet();
        }
        decisions.computeIfAbsent(decision == null ? "<none>" : decision, key -> new AtomicLong()).incrementAndGet();
        outcome.header(errorHeader)
                .ifPresent(error -> errors.computeIfAbsent(error, key -> new AtomicLong()).incrementAndGet());
    }

    private static <K extends Comparable<K>> Map<K, Long> snapshot(ConcurrentMap<K, AtomicLong> counters) {
        Map<K, Long> copy = new TreeMap<>();
        counters.forEach((key, value) -> copy.put(key, value.get()));
        return copy;
    }

    /**
     * What the load saw.
     *
     * @param responses responses received
     * @param missingDecision responses without the decision header: requests that passed unchecked
     * @param retried requests re-sent once because a reused connection closed before answering
     * @param failed requests that got no response even on a fresh connection
     * @param decisions responses by decision header value ({@code <none>} when missing)
     * @param errors responses by error header value (only responses that carried one)
     * @param statuses responses by HTTP status
     * @param failureSamples the first few failure messages
     * @param elapsed time since the load started
     */
    public record Counts(long responses, long missingDecision, long retried, long failed, Map<String, Long> decisions,
            Map<String, Long> errors, Map<Integer, Long> statuses, List<String> failureSamples, Duration elapsed) {

        public long withError() {
            return errors.values().stream().mapToLong(Long::longValue).sum();
        }

        public double ratePerSecond() {
            return elapsed.isZero() ? 0 : responses * 1000.0 / elapsed.toMillis();
        }
    }
}
