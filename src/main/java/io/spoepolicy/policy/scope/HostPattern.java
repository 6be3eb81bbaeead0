package io.spoepolicy.policy.scope;

import java.util.Locale;

/**
 * A host pattern of a scope: an exact host ({@code api.example.com}), a wildcard that matches any
 * subdomain at any depth ({@code *.example.com}, which does not match {@code example.com} itself),
 * or {@code *} for every host. Hosts compare case-insensitively, without port or trailing dot.
 *
 * @param pattern the normalized pattern text
 */
public record HostPattern(String pattern) {

    private static final int EXACT = 10_000;

    public HostPattern {
        pattern = normalize(pattern);
    }

    public static HostPattern parse(String text) {
        return new HostPattern(text);
    }

    private static String normalize(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("host pattern must not be empty");
        }
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.endsWith(".") && value.length() > 1) {
            value = value.substring(0, value.length() - 1);
        }
        if (value.equals("*")) {
            return value;
        }
        String body = value.startsWith("*.") ? value.substring(2) : value;
        if (body.isEmpty() || body.indexOf('*') >= 0 || body.indexOf(':') >= 0 && !body.startsWith("[")) {
            throw new IllegalArgumentException("'" + text + "' is not a host pattern (expected host, *.domain or *)");
        }
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (Character.isWhitespace(c) || c == '/') {
                throw new IllegalArgumentException("'" + text + "' is not a host pattern (expected host, *.domain or *)");
            }
        }
        return value;
    }

    public boolean matches(String host) {
        if (pattern.equals("*")) {
            return true;
        }
        if (host == null || host.isEmpty()) {
            return false;
        }
        if (pattern.startsWith("*.")) {
            String suffix = pattern.substring(1);
            return host.length() > suffix.length() && host.endsWith(suffix);
        }
        return host.equals(pattern);
    }

    /** Higher is more specific: an exact host beats any wildcard, a longer wildcard a shorter one. */
    public int specificity() {
        if (pattern.equals("*")) {
            return 0;
        }
        if (pattern.startsWith("*.")) {
            return 1 + pattern.length();
        }
        return EXACT + pattern.length();
    }

    /**
     * The request host as patterns compare it: lower-cased, without port, without trailing dot;
     * empty when absent.
     */
    public static String normalizeHost(String hostHeader) {
        if (hostHeader == null) {
            return "";
        }
        String host = hostHeader.trim().toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? host : host.substring(0, end + 1);
        }
        int colon = host.indexOf(':');
        if (colon >= 0 && host.indexOf(':', colon + 1) < 0) {
            host = host.substring(0, colon);
        }
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        return host;
    }

    @Override
    public String toString() {
        return pattern;
    }
}
