package io.spoepolicy.policy.waf.request;

import java.util.List;

/**
 * Flattens a JSON body into arguments named by path ({@code json.user.name}, {@code json.ids.0}),
 * as WAF body processors do. A minimal tolerant parser: on malformed input it keeps what it
 * already read. Depth is bounded so hostile nesting cannot exhaust the stack.
 */
final class JsonFlattener {

    private static final int MAX_DEPTH = 64;

    private final String s;
    private final List<Entry> out;
    private final int limit;
    private int pos;
    private boolean truncated;

    private JsonFlattener(String s, List<Entry> out, int limit) {
        this.s = s;
        this.out = out;
        this.limit = limit;
    }

    /** Returns false when {@code limit} stopped the parse. */
    static boolean parse(String json, List<Entry> out, int limit) {
        JsonFlattener f = new JsonFlattener(json, out, limit);
        try {
            f.value("json", 0);
        } catch (RuntimeException malformed) {
            // Keep the arguments read before the error.
        }
        return !f.truncated;
    }

    private void value(String path, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalStateException("too deep");
        }
        skipSpace();
        if (pos >= s.length()) {
            throw new IllegalStateException("eof");
        }
        char c = s.charAt(pos);
        if (c == '{') {
            pos++;
            skipSpace();
            if (peek() == '}') {
                pos++;
                return;
            }
            while (true) {
                skipSpace();
                String key = string();
                skipSpace();
                expect(':');
                value(path + "." + key, depth + 1);
                skipSpace();
                if (peek() == ',') {
                    pos++;
                } else {
                    expect('}');
                    return;
                }
            }
        } else if (c == '[') {
            pos++;
            skipSpace();
            if (peek() == ']') {
                pos++;
                return;
            }
            int index = 0;
            while (true) {
                value(path + "." + index++, depth + 1);
                skipSpace();
                if (peek() == ',') {
                    pos++;
                } else {
                    expect(']');
                    return;
                }
            }
        } else if (c == '"') {
            add(path, string());
        } else {
            int start = pos;
            while (pos < s.length() && ",}] \t\r\n".indexOf(s.charAt(pos)) < 0) {
                pos++;
            }
            String literal = s.substring(start, pos);
            add(path, literal.equals("null") ? "" : literal);
        }
    }

    private void add(String path, String value) {
        if (out.size() >= limit) {
            truncated = true;
            throw new IllegalStateException("limit");
        }
        out.add(new Entry(path, value));
    }

    private String string() {
        expect('"');
        StringBuilder sb = new StringBuilder();
        while (pos < s.length()) {
            char c = s.charAt(pos++);
            if (c == '"') {
                return sb.toString();
            }
            if (c == '\\' && pos < s.length()) {
                char e = s.charAt(pos++);
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'u' -> {
                        if (pos + 4 > s.length()) {
                            throw new IllegalStateException("bad escape");
                        }
                        int code = Integer.parseInt(s.substring(pos, pos + 4), 16);
                        pos += 4;
                        // Inspect the escaped character as the UTF-8 bytes it stands for.
                        sb.append(ByteStrings.of(String.valueOf((char) code)));
                    }
                    default -> sb.append(e);
                }
            } else {
                sb.append(c);
            }
        }
        throw new IllegalStateException("unterminated string");
    }

    private void expect(char c) {
        if (peek() != c) {
            throw new IllegalStateException("expected " + c);
        }
        pos++;
    }

    private char peek() {
        return pos < s.length() ? s.charAt(pos) : 0;
    }

    private void skipSpace() {
        while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
            pos++;
        }
    }
}
