package io.spoepolicy.server;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets one log line through per interval and counts the ones it held back, so that a peer able
 * to cause a log line per connection (garbage, failed TLS handshakes) cannot flood the logs: an
 * error storm of thousands of connections yields one line per interval with the count.
 */
public final class LogThrottle {

    private final long intervalNanos;
    private final AtomicLong nextAllowed = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    public LogThrottle(java.time.Duration interval) {
        this.intervalNanos = interval.toNanos();
    }

    /**
     * Returns -1 when the caller must stay quiet, else the number of lines suppressed since the
     * last one let through (0 or more), which the caller should mention.
     */
    public long tryAcquire() {
        long now = System.nanoTime();
        long next = nextAllowed.get();
        if ((next == Long.MIN_VALUE || now - next >= 0) && nextAllowed.compareAndSet(next, now + intervalNanos)) {
            return suppressed.getAndSet(0);
        }
        suppressed.incrementAndGet();
        return -1;
    }
}
