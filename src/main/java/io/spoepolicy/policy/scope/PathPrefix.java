package io.spoepolicy.policy.scope;

/**
 * A path prefix of a scope, matched on whole segments: {@code /api} matches {@code /api} and
 * {@code /api/users} but not {@code /apis}. Compared against the normalized request path
 * ({@link PathNormalizer}), case-sensitively.
 *
 * @param prefix normalized prefix, starting with {@code /}, without trailing slash except for the root
 */
public record PathPrefix(String prefix) {

    public PathPrefix {
        if (prefix == null || !prefix.startsWith("/")) {
            throw new IllegalArgumentException("path prefix '" + prefix + "' must start with '/'");
        }
        prefix = PathNormalizer.normalize(prefix);
        if (prefix.length() > 1 && prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
    }

    public static PathPrefix parse(String text) {
        return new PathPrefix(text == null ? null : text.trim());
    }

    /** @param path a path already normalized with {@link PathNormalizer} */
    public boolean matches(String path) {
        if (prefix.length() == 1) {
            return true;
        }
        return path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/');
    }

    /** Longer prefixes are more specific. */
    public int specificity() {
        return prefix.length();
    }

    @Override
    public String toString() {
        return prefix;
    }
}
