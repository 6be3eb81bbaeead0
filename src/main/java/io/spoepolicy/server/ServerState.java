package io.spoepolicy.server;

/** The SPOP server as a whole. */
public enum ServerState {
    STOPPED,
    RUNNING,
    /** Shutdown started: health checks are refused, connections close once quiet. */
    DRAINING
}
