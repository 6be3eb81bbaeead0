package io.spoepolicy.loadgen;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** Flags and counters shared by the connections of one load run. */
final class LoadRun {

    volatile boolean sending = true;
    volatile boolean measuring;
    final AtomicInteger connected = new AtomicInteger();
    final AtomicInteger disconnects = new AtomicInteger();
    final AtomicReference<Throwable> failure = new AtomicReference<>();

    void connected() {
        connected.incrementAndGet();
    }

    void disconnected() {
        disconnects.incrementAndGet();
    }

    void failed(Throwable cause) {
        failure.compareAndSet(null, cause);
    }
}
