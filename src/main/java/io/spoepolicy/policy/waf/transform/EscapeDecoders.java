package io.spoepolicy.policy.waf.transform;

/** Backslash-escape decoders: {@code jsDecode}, {@code cssDecode}, {@code escapeSeqDecode}. */
public final class EscapeDecoders {

    private EscapeDecoders() {}

    public static String jsDecode(String s) {
        return decode(s, EscapeDecoders::jsEscape);
    }

    public static String cssDecode(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (c != '\\') {
                out.append(c);
                i++;
                continue;
            }
            if (i + 1 >= n) {
                // A trailing backslash is dropped.
                i++;
                continue;
            }
            int j = i + 1;
            while (j < n && j < i + 7 && Hex.isHex(s.charAt(j))) {
                j++;
            }
            int digits = j - i - 1;
            if (digits > 0) {
                int code = Hex.parse(s, i + 1, digits);
                boolean fullWidth = digits >= 4 && code >= 0xFF01 && code <= 0xFF5E;
                out.append(fullWidth ? Hex.unicodeToByte(code) : (char) (code & 0xFF));
                if (j < n && isCssSpace(s.charAt(j))) {
                    j++;
                }
                i = j;
            } else if (s.charAt(i + 1) == '\n') {
                i += 2;
            } else {
                out.append(s.charAt(i + 1));
                i += 2;
            }
        }
        return out.toString();
    }

    public static String escapeSeqDecode(String s) {
        return decode(s, EscapeDecoders::cEscape);
    }

    /** Decodes the escape whose backslash is at {@code s[i]}, with a character after it. */
    @FunctionalInterface
    private interface Escape {

        /** @return the index of the escape's last character */
        int decode(String s, int i, StringBuilder out);
    }

    /** The backslash loop {@code jsDecode} and {@code escapeSeqDecode} share; a trailing backslash stays. */
    private static String decode(String s, Escape escape) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= n) {
                out.append(c);
            } else {
                i = escape.decode(s, i, out);
            }
        }
        return out.toString();
    }

    /**
     * JavaScript: {@code u} with four hex digits, {@code \xHH}, octal up to 0377, the C letters;
     * any other character stands for itself.
     */
    private static int jsEscape(String s, int i, StringBuilder out) {
        char e = s.charAt(i + 1);
        if ((e == 'u' || e == 'U') && Hex.hexRun(s, i + 2, 4)) {
            out.append(Hex.unicodeToByte(Hex.parse(s, i + 2, 4)));
            return i + 5;
        }
        int end = numericEscape(s, i, out, 0377);
        if (end >= 0) {
            return end;
        }
        out.append(simpleEscape(e, e));
        return i + 1;
    }

    /** C: {@code \xHH}, three octal digits (low byte kept), the C letters and quotes; else the pair stays. */
    private static int cEscape(String s, int i, StringBuilder out) {
        int end = numericEscape(s, i, out, 0777);
        if (end >= 0) {
            return end;
        }
        char e = s.charAt(i + 1);
        char decoded = simpleEscape(e, '\uFFFF');
        if (decoded != '\uFFFF') {
            out.append(decoded);
        } else if (e == '\\' || e == '?' || e == '\'' || e == '"') {
            out.append(e);
        } else {
            out.append('\\').append(e);
        }
        return i + 1;
    }

    /**
     * {@code \xHH}, or up to three octal digits whose value stays within {@code maxOctal}.
     *
     * @return the index of the escape's last character, or -1 when it is neither
     */
    private static int numericEscape(String s, int i, StringBuilder out, int maxOctal) {
        char e = s.charAt(i + 1);
        if ((e == 'x' || e == 'X') && Hex.hexRun(s, i + 2, 2)) {
            out.append((char) Hex.parse(s, i + 2, 2));
            return i + 3;
        }
        if (e < '0' || e > '7') {
            return -1;
        }
        int n = s.length();
        int j = i + 1;
        int v = 0;
        while (j < n && j < i + 4 && s.charAt(j) >= '0' && s.charAt(j) <= '7'
                && v * 8 + (s.charAt(j) - '0') <= maxOctal) {
            v = v * 8 + (s.charAt(j) - '0');
            j++;
        }
        out.append((char) (v & 0xFF));
        return j - 1;
    }

    private static char simpleEscape(char e, char otherwise) {
        return switch (e) {
            case 'a' -> 7;
            case 'b' -> 8;
            case 'f' -> 12;
            case 'n' -> 10;
            case 'r' -> 13;
            case 't' -> 9;
            case 'v' -> 11;
            default -> otherwise;
        };
    }

    private static boolean isCssSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
    }
}
