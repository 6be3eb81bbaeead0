package io.spoepolicy.policy.waf.regex.dfa;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the lazily built DFAs of one rule load did since it: how often a full state cache was
 * cleared and rebuilt, and how often a pattern was left to RE2J for a while because it rebuilt
 * too often for the bytes it scanned. Shared by those DFAs; thread-safe. Updated only on the
 * slow path (a cache full), never per scan.
 */
public final class LazyDfaStats {

    private final LongAdder resets = new LongAdder();
    private final LongAdder givenUp = new LongAdder();
    private final AtomicInteger re2jOnly = new AtomicInteger();

    /** The figures now. */
    public record Snapshot(long resets, long givenUp, int re2jOnlyNow) {}

    public Snapshot snapshot() {
        return new Snapshot(resets.sum(), givenUp.sum(), re2jOnly.get());
    }

    /** Caches cleared because they were full. */
    public long resets() {
        return resets.sum();
    }

    /** Times a pattern was left to RE2J for a while. */
    public long givenUp() {
        return givenUp.sum();
    }

    /** Patterns left to RE2J at this moment. */
    public int re2jOnlyNow() {
        return re2jOnly.get();
    }

    void reset() {
        resets.increment();
    }

    void gaveUp() {
        givenUp.increment();
        re2jOnly.incrementAndGet();
    }

    void resumed() {
        re2jOnly.decrementAndGet();
    }

    @Override
    public String toString() {
        return snapshot().toString();
    }
}
