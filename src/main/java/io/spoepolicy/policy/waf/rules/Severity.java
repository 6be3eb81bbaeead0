package io.spoepolicy.policy.waf.rules;

import java.util.Locale;

/** Rule severities as CRS names them; CRS turns them into anomaly points itself via setvar. */
public enum Severity {
    EMERGENCY,
    ALERT,
    CRITICAL,
    ERROR,
    WARNING,
    NOTICE,
    INFO,
    DEBUG;

    public static Severity parse(String text) {
        String t = text.trim();
        if (!t.isEmpty() && Character.isDigit(t.charAt(0))) {
            int n = Integer.parseInt(t);
            return values()[Math.min(n, values().length - 1)];
        }
        return valueOf(t.toUpperCase(Locale.ROOT));
    }
}
