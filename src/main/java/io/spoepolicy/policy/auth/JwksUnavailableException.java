package io.spoepolicy.policy.auth;

/** The identity provider's key set is needed and cannot be fetched. */
final class JwksUnavailableException extends RuntimeException {

    JwksUnavailableException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
