package io.spoepolicy.server;

/** Server-wide drain state that sessions consult, e.g. to refuse health checks while draining. */
public final class DrainSignal {

    private volatile boolean draining;
    private volatile boolean closing;

    public boolean draining() {
        return draining;
    }

    void startDraining() {
        draining = true;
    }

    /** True once the drain window is over and connections are being closed. */
    public boolean closing() {
        return closing;
    }

    void startClosing() {
        closing = true;
    }

    /** A restarted server serves health checks again. */
    void reset() {
        draining = false;
        closing = false;
    }
}
