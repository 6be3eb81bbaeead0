package io.spoepolicy.server;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the NOTIFYs being processed across all connections. A session that finds no permit
 * stops reading and waits in line; a released permit wakes the next waiter. Together with the
 * per-connection bound this turns overload into TCP backpressure instead of an unbounded queue.
 */
public final class InflightLimiter {

    private final int limit;
    private final AtomicInteger inUse = new AtomicInteger();
    private final Queue<Runnable> waiters = new ConcurrentLinkedQueue<>();

    public InflightLimiter(int limit) {
        this.limit = limit;
    }

    public boolean tryAcquire() {
        while (true) {
            int current = inUse.get();
            if (current >= limit) {
                return false;
            }
            if (inUse.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    /**
     * Queues a callback run once a permit may be free. The caller tries {@link #tryAcquire} again
     * after registering, so a release between its failed attempt and this call is not missed.
     */
    public void awaitPermit(Runnable wakeUp) {
        waiters.add(wakeUp);
    }

    public void release() {
        inUse.decrementAndGet();
        Runnable next = waiters.poll();
        if (next != null) {
            next.run();
        }
    }

    public int inUse() {
        return inUse.get();
    }

    public int limit() {
        return limit;
    }
}
