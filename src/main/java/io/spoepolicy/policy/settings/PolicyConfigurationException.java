package io.spoepolicy.policy.settings;

/**
 * A policy configuration that cannot be used. The message starts with the property at fault,
 * e.g. {@code spoe.policies.jwt.issuer: must not be blank}: it fails startup, or is the reason a
 * reload is rejected.
 */
public class PolicyConfigurationException extends IllegalArgumentException {

    private final String property;

    public PolicyConfigurationException(String property, String message) {
        this(property, message, null);
    }

    public PolicyConfigurationException(String property, String message, Throwable cause) {
        super(property + ": " + message, cause);
        this.property = property;
    }

    /** The configuration property at fault. */
    public String property() {
        return property;
    }
}
