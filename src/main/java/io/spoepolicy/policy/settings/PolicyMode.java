package io.spoepolicy.policy.settings;

/** How a policy's denials take effect. */
public enum PolicyMode {

    /** Denials deny. */
    ENFORCE,

    /**
     * Denials are reported ({@code detect_policy}, {@code detect_reason}, {@code detect_status})
     * and the request is allowed; a bypass does not skip the later policies. For trying new
     * rules on live traffic.
     */
    DETECT_ONLY
}
