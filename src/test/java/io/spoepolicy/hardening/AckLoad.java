package io.spoepolicy.hardening;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

import io.spoepolicy.protocol.SpopMessage;
import io.spoepolicy.testkit.AgentFrame;
import io.spoepolicy.testkit.SpopTestClient;

/**
 * Closed-loop load over real SPOP connections, as HAProxy would send it: each connection sends a
 * NOTIFY, waits for its ACK, and sends the next, for a fixed time. Every ACK's latency and
 * decision variables are recorded; a NOTIFY without an ACK within the read timeout is counted as
 * lost.
 */
final class AckLoad {

    private AckLoad() {
    }

    /** One ACK (or its absence) and what it carried. */
    /** @param index the request's number on its connection (what {@code messages} was called with) */
    record Outcome(int index, long nanos, boolean acked, String action, String status, String reason,
            String agentError, String fallback) {
    }

    /** The outcomes of one run. */
    record Result(String name, List<Outcome> outcomes, Duration elapsed) {

        long sent() {
            return outcomes.size();
        }

        long acked() {
            return outcomes.stream().filter(Outcome::acked).count();
        }

        long count(java.util.function.Predicate<Outcome> predicate) {
            return outcomes.stream().filter(predicate).count();
        }

        Duration maxLatency() {
            return Duration.ofNanos(outcomes.stream().filter(Outcome::acked).mapToLong(Outcome::nanos).max().orElse(0));
        }

        Duration percentile(double p) {
            long[] sorted = outcomes.stream().filter(Outcome::acked).mapToLong(Outcome::nanos).sorted().toArray();
            return sorted.length == 0 ? Duration.ZERO
                    : Duration.ofNanos(sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]);
        }

        /** Decisions by "action/status/reason[/fallback]" or "agent_error=...". */
        Map<String, Long> decisions() {
            Map<String, Long> counts = new TreeMap<>();
            for (Outcome outcome : outcomes) {
                String key = !outcome.acked() ? "no-ack"
                        : outcome.agentError() != null ? "agent_error=" + outcome.agentError()
                        : outcome.action() + (outcome.status() == null ? "" : "/" + outcome.status())
                                + (outcome.reason() == null ? "" : "/" + outcome.reason())
                                + (outcome.fallback() == null ? "" : " fallback=" + outcome.fallback());
                counts.merge(key, 1L, Long::sum);
            }
            return counts;
        }

        String describe() {
            return String.format("%s: %d NOTIFYs, %d ACKs in %.1f s, p50 %d ms, p99 %d ms, max %d ms, decisions %s",
                    name, sent(), acked(), elapsed.toMillis() / 1000.0, percentile(0.5).toMillis(),
                    percentile(0.99).toMillis(), maxLatency().toMillis(), decisions());
        }
    }

    /** One NOTIFY on a fresh connection; returns "action" or "action fallback=...". */
    static String once(int port, SpopMessage message) throws IOException {
        try (SpopTestClient client = SpopTestClient.connect("127.0.0.1", port)) {
            client.handshake();
            AgentFrame.Ack ack = client.request(message);
            String fallback = ack.text("ratelimit_fallback");
            return ack.text("action") + (fallback == null ? "" : " fallback=" + fallback);
        }
    }

    /**
     * Runs {@code connections} connections for {@code duration}; request {@code i} of a connection
     * is {@code messages.apply(i)}.
     */
    static Result run(String name, int port, int connections, Duration duration, IntFunction<SpopMessage> messages)
            throws Exception {
        return run(name, port, connections, duration, Duration.ZERO, messages);
    }

    /**
     * As {@link #run(String, int, int, Duration, IntFunction)}, each connection sending at most one
     * NOTIFY per {@code interval}: a paced load leaves the CPU to the agent on a small machine.
     */
    static Result run(String name, int port, int connections, Duration duration, Duration interval,
            IntFunction<SpopMessage> messages) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        try {
            List<Future<List<Outcome>>> futures = new ArrayList<>();
            for (int c = 0; c < connections; c++) {
                futures.add(pool.submit(() -> connection(port, end, interval.toNanos(), messages)));
            }
            List<Outcome> all = new ArrayList<>();
            for (Future<List<Outcome>> future : futures) {
                all.addAll(future.get());
            }
            return new Result(name, all, Duration.ofNanos(System.nanoTime() - start));
        }
        finally {
            pool.shutdownNow();
        }
    }

    private static List<Outcome> connection(int port, long end, long intervalNanos, IntFunction<SpopMessage> messages)
            throws IOException {
        List<Outcome> outcomes = new ArrayList<>();
        SpopTestClient client = SpopTestClient.connect(new java.net.InetSocketAddress("127.0.0.1", port),
                Duration.ofSeconds(5));
        try {
            client.handshake();
            long next = System.nanoTime();
            for (int i = 0; System.nanoTime() < end; i++) {
                // Pacing, not waiting for a condition: the next NOTIFY's slot.
                java.util.concurrent.locks.LockSupport.parkNanos(next - System.nanoTime());
                next += intervalNanos;
                long sent = System.nanoTime();
                try {
                    AgentFrame.Ack ack = client.request(messages.apply(i));
                    outcomes.add(new Outcome(i, System.nanoTime() - sent, true, ack.text("action"), ack.text("status"),
                            ack.text("reason"), ack.text("agent_error"), ack.text("ratelimit_fallback")));
                }
                catch (IOException lost) {
                    outcomes.add(new Outcome(i, System.nanoTime() - sent, false, null, null, null, null, null));
                    client.close();
                    client = SpopTestClient.connect(new java.net.InetSocketAddress("127.0.0.1", port), Duration.ofSeconds(5));
                    client.handshake();
                }
            }
        }
        finally {
            client.close();
        }
        return outcomes;
    }
}
