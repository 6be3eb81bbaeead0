package io.spoepolicy.protocol;

/**
 * The recycled NOTIFY payload buffers of one connection.
 *
 * <p>Chosen over zero-copy views of Netty's pooled buffers: one copy of a typical payload costs
 * a few tens of nanoseconds, and in exchange (a) parsing stays on plain byte arrays, (b) a slow
 * or timed-out policy pins only its own payload, not a shared pooled read buffer, and stops
 * Netty's cumulation from compacting, (c) a lease that is never released (a handler that never
 * completes, an event loop already shut down) is only garbage for the collector, never leaked
 * native memory, and (d) a lifetime mistake can at worst meet another NOTIFY of the same
 * connection, and the generation check turns that into an exception. Buffers are handed out on
 * the event loop and come back from whichever thread releases the last reference.
 *
 * <p>Retention is bounded: at most {@link #MAX_POOLED} free buffers of at most
 * {@link #MAX_RETAINED_CAPACITY} bytes each; larger payloads use a buffer that is dropped after use.
 */
final class PayloadArena {

    static final int MIN_CAPACITY = 1024;
    static final int MAX_RETAINED_CAPACITY = 64 * 1024;
    static final int MAX_POOLED = 16;

    private final PayloadBuffer[] free = new PayloadBuffer[MAX_POOLED];
    private int freeCount;
    private int leased;

    /** A buffer of at least {@code capacity} bytes, holding one reference. */
    PayloadBuffer acquire(int capacity) {
        PayloadBuffer buffer = null;
        synchronized (this) {
            leased++;
            if (freeCount > 0) {
                buffer = free[--freeCount];
                free[freeCount] = null;
            }
        }
        if (buffer == null) {
            return new PayloadBuffer(this, new byte[capacityFor(capacity)]);
        }
        buffer.reuse(capacityFor(capacity));
        return buffer;
    }

    /** Called once per lease, when its last reference is released. */
    void recycle(PayloadBuffer buffer) {
        synchronized (this) {
            leased--;
            if (freeCount < MAX_POOLED && buffer.data.length <= MAX_RETAINED_CAPACITY) {
                free[freeCount++] = buffer;
            }
        }
    }

    /** Leases not yet released; for tests and diagnostics. */
    synchronized int leased() {
        return leased;
    }

    private static int capacityFor(int needed) {
        if (needed <= MIN_CAPACITY) {
            return MIN_CAPACITY;
        }
        if (needed > MAX_RETAINED_CAPACITY) {
            return needed;
        }
        return Integer.highestOneBit(needed - 1) << 1;
    }
}
