package io.spoepolicy.policy.auth;

/** A token that is not acceptable; the reason is the decision's reason code. */
final class TokenRejectedException extends Exception {

    private final String reason;

    TokenRejectedException(String reason) {
        super(reason, null, false, false);
        this.reason = reason;
    }

    String reason() {
        return reason;
    }
}
