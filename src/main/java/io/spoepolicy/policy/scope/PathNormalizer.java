package io.spoepolicy.policy.scope;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Normalizes a request path before scopes and path-keyed limits compare it, so that
 * {@code /%61dmin}, {@code //admin} and {@code /x/../admin} cannot slip past an {@code /admin}
 * scope: the query is dropped, percent-encoded unreserved characters are decoded (other escapes
 * are kept, with upper-case hex, so {@code %2F} never becomes a separator), repeated slashes are
 * merged and dot segments are removed (RFC 3986 §5.2.4). HAProxy's {@code http-request
 * normalize-uri} can do the same before the request reaches the backend.
 */
public final class PathNormalizer {

    private PathNormalizer() {
    }

    public static String normalize(String raw) {
        if (raw == null || raw.isEmpty()) {
            return "/";
        }
        int query = raw.indexOf('?');
        String path = query >= 0 ? raw.substring(0, query) : raw;
        String decoded = decodeUnreserved(path);
        Deque<String> segments = new ArrayDeque<>();
        boolean trailingSlash = decoded.endsWith("/");
        for (String segment : decoded.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                segments.pollLast();
                continue;
            }
            segments.addLast(segment);
        }
        if (decoded.endsWith("/.") || decoded.endsWith("/..")) {
            trailingSlash = true;
        }
        StringBuilder result = new StringBuilder(decoded.length() + 1);
        for (String segment : segments) {
            result.append('/').append(segment);
        }
        if (result.isEmpty() || trailingSlash) {
            result.append('/');
        }
        return result.toString();
    }

    private static String decodeUnreserved(String path) {
        if (path.indexOf('%') < 0) {
            return path;
        }
        StringBuilder out = new StringBuilder(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%' && i + 2 < path.length()) {
                int high = Character.digit(path.charAt(i + 1), 16);
                int low = Character.digit(path.charAt(i + 2), 16);
                if (high >= 0 && low >= 0) {
                    char decoded = (char) (high << 4 | low);
                    if (isUnreserved(decoded)) {
                        out.append(decoded);
                    }
                    else {
                        out.append('%').append(Character.toUpperCase(path.charAt(i + 1)))
                                .append(Character.toUpperCase(path.charAt(i + 2)));
                    }
                    i += 2;
                    continue;
                }
            }
            out.append(c);
        }
        return out.toString();
    }

    private static boolean isUnreserved(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || c == '-' || c == '.' || c == '_' || c == '~';
    }
}
