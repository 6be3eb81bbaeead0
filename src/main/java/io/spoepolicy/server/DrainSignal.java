package io.spoepolicy.server;

/** Server-wide drain state that sessions consult, e.g. to refuse health checks while draining. */
public final class DrainSignal {

    private volatile boolean draining;

    public boolean draining() {
        return draining;
    }

    void startDraining() {
        draining = true;
    }

    /** A restarted server serves health checks again. */
    void reset() {
        draining = false;
    }
}
