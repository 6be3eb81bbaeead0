package io.spoepolicy.policy.waf;

/** What HAProxy should do with the request. */
public enum WafAction {
    ALLOW,
    DENY;

    /** Lower-case name, as exported in the SPOE variable {@code action}. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
