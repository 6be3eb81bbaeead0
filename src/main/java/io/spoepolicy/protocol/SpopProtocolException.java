package io.spoepolicy.protocol;

/**
 * A violation of the protocol by the peer. It carries the status the agent disconnects with.
 */
public final class SpopProtocolException extends RuntimeException {

    private final SpopStatus status;

    public SpopProtocolException(SpopStatus status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public SpopStatus status() {
        return status;
    }
}
