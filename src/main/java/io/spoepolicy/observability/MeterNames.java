package io.spoepolicy.observability;

import java.time.Duration;
import java.util.Locale;

/** Tag value spelling and the latency buckets shared by the SPOP and policy meters. */
final class MeterNames {

    /**
     * Histogram buckets for SPOP and policy latencies: an inline policy answers in microseconds, a
     * Redis or JWKS call in milliseconds, and HAProxy's {@code timeout processing} is well under 1s.
     */
    static final Duration[] LATENCY_BUCKETS = {
            Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000),
            Duration.ofMillis(1), Duration.ofNanos(2_500_000), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1)};

    static final Duration LATENCY_MIN = LATENCY_BUCKETS[0];
    static final Duration LATENCY_MAX = LATENCY_BUCKETS[LATENCY_BUCKETS.length - 1];

    private MeterNames() {
    }

    /** {@code HAPROXY_DISCONNECT} becomes {@code haproxy-disconnect}. */
    static String tagValue(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
