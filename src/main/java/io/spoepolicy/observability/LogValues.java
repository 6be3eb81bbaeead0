package io.spoepolicy.observability;

/**
 * Makes values safe to put in a plain-text log line. Everything that could end the line or
 * disguise it (CR, LF, other control characters, Unicode line separators, bidirectional and other
 * format characters, lone surrogates) is written as an escape sequence, and quotes and backslashes
 * are escaped, so a client cannot forge a log line or hide text in one.
 */
final class LogValues {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private LogValues() {
    }

    /** The value in double quotes, escaped and cut to {@code max} characters ({@code -} when null). */
    static String quoted(String value, int max) {
        if (value == null) {
            return "-";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), max) + 8);
        out.append('"');
        appendEscaped(out, value, max);
        return out.append('"').toString();
    }

    /** Bare if the value is a plain token (letters, digits, {@code ._:/-}), else {@link #quoted}. */
    static String token(String value, int max) {
        if (value == null || value.isEmpty()) {
            return "-";
        }
        if (value.length() > max) {
            return quoted(value, max);
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == ':' || c == '/' || c == '-';
            if (!plain) {
                return quoted(value, max);
            }
        }
        return value;
    }

    /**
     * The value escaped like {@link #quoted} but without the quotes ({@code null} stays null): for
     * key-value pairs, which a text layout ({@code %kvp}) would otherwise print raw.
     */
    static String escaped(String value, int max) {
        if (value == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), max) + 4);
        appendEscaped(out, value, max);
        return out.toString();
    }

    private static void appendEscaped(StringBuilder out, String value, int max) {
        int length = value.length();
        int end = Math.min(length, max);
        for (int i = 0; i < end; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    boolean pair = Character.isHighSurrogate(c) && i + 1 < length
                            && Character.isLowSurrogate(value.charAt(i + 1));
                    if (pair) {
                        if (i + 1 >= end) {
                            // A pair cut by the limit is dropped rather than split.
                            break;
                        }
                        out.append(c).append(value.charAt(++i));
                    }
                    else if (needsEscape(c)) {
                        out.append("\\u").append(HEX[(c >> 12) & 0xf]).append(HEX[(c >> 8) & 0xf])
                                .append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
                    }
                    else {
                        out.append(c);
                    }
                }
            }
        }
        if (length > end) {
            out.append("...");
        }
    }

    private static boolean needsEscape(char c) {
        if (c < 0x20 || c == 0x7f) {
            return true;
        }
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE;
    }
}
