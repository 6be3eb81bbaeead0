package io.spoepolicy.policy.waf.eval;

import com.google.re2j.Pattern;

/**
 * A collection key pattern ({@code TX:/^header_name_/}, {@code !REQUEST_COOKIES:/^_pk_ref/}).
 * Most CRS key patterns are a literal with an anchor; those are matched without the regex
 * engine, whose per-call setup costs more than the comparison. Same answers as
 * {@code pattern.matcher(key).find()} with the case-insensitive flag the parser sets: keys with
 * non-ASCII characters, where Unicode case folding could differ, always go to the regex.
 */
final class KeySelector {

    private enum Kind { EQUALS, PREFIX, CONTAINS, REGEX }

    private final Pattern pattern;
    private final Kind kind;
    private final String literal;

    private KeySelector(Pattern pattern, Kind kind, String literal) {
        this.pattern = pattern;
        this.kind = kind;
        this.literal = literal;
    }

    static KeySelector of(Pattern pattern) {
        String p = pattern.pattern();
        if ((pattern.flags() & ~Pattern.CASE_INSENSITIVE) != 0) {
            return new KeySelector(pattern, Kind.REGEX, null);
        }
        boolean start = p.startsWith("^");
        int from = start ? 1 : 0;
        int to = p.length();
        boolean end = false;
        if (p.endsWith(".*") && to - 2 >= from) {
            // "x.*" finds what "x" finds.
            to -= 2;
        } else if (p.endsWith("*") && to - 2 >= from && isLiteral(p.charAt(to - 2))) {
            // "x_*" finds what "x" finds: zero repetitions always fit.
            to -= 2;
        } else if (p.endsWith("$") && !p.endsWith("\\$")) {
            end = true;
            to -= 1;
        }
        String body = p.substring(from, to);
        if (body.isEmpty() || !body.chars().allMatch(c -> isLiteral((char) c))) {
            return new KeySelector(pattern, Kind.REGEX, null);
        }
        Kind kind = start && end ? Kind.EQUALS : start ? Kind.PREFIX : end ? Kind.REGEX : Kind.CONTAINS;
        return new KeySelector(pattern, kind, body);
    }

    private static boolean isLiteral(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }

    /** Whether answers cost a regex call: worth caching per key. */
    boolean costly() {
        return kind == Kind.REGEX;
    }

    boolean find(String key) {
        if (kind == Kind.REGEX || !isAscii(key)) {
            return pattern.matcher(key).find();
        }
        return switch (kind) {
            case EQUALS -> key.length() == literal.length() && matchesAt(key, 0);
            case PREFIX -> key.length() >= literal.length() && matchesAt(key, 0);
            case CONTAINS -> contains(key);
            case REGEX -> throw new AssertionError();
        };
    }

    private boolean contains(String key) {
        for (int at = 0, last = key.length() - literal.length(); at <= last; at++) {
            if (matchesAt(key, at)) {
                return true;
            }
        }
        return false;
    }

    private boolean matchesAt(String key, int at) {
        for (int i = 0; i < literal.length(); i++) {
            if (lower(key.charAt(at + i)) != lower(literal.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
