package io.spoepolicy.policy.waf.transform;

/** Backslash-escape decoders: {@code jsDecode}, {@code cssDecode}, {@code escapeSeqDecode}. */
public final class EscapeDecoders {

    private EscapeDecoders() {}

    public static String jsDecode(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= n) {
                out.append(c);
                continue;
            }
            char e = s.charAt(i + 1);
            if ((e == 'u' || e == 'U') && Hex.hexRun(s, i + 2, 4)) {
                out.append(Hex.unicodeToByte(Hex.parse(s, i + 2, 4)));
                i += 5;
            } else if ((e == 'x' || e == 'X') && Hex.hexRun(s, i + 2, 2)) {
                out.append((char) Hex.parse(s, i + 2, 2));
                i += 3;
            } else if (e >= '0' && e <= '7') {
                int j = i + 1;
                int v = 0;
                while (j < n && j < i + 4 && s.charAt(j) >= '0' && s.charAt(j) <= '7'
                        && v * 8 + (s.charAt(j) - '0') <= 0377) {
                    v = v * 8 + (s.charAt(j) - '0');
                    j++;
                }
                out.append((char) v);
                i = j - 1;
            } else {
                out.append(simpleEscape(e, e));
                i++;
            }
        }
        return out.toString();
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
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= n) {
                out.append(c);
                continue;
            }
            char e = s.charAt(i + 1);
            if ((e == 'x' || e == 'X') && Hex.hexRun(s, i + 2, 2)) {
                out.append((char) Hex.parse(s, i + 2, 2));
                i += 3;
            } else if (e >= '0' && e <= '7') {
                int j = i + 1;
                int v = 0;
                while (j < n && j < i + 4 && s.charAt(j) >= '0' && s.charAt(j) <= '7') {
                    v = v * 8 + (s.charAt(j) - '0');
                    j++;
                }
                out.append((char) (v & 0xFF));
                i = j - 1;
            } else {
                char decoded = simpleEscape(e, '\uFFFF');
                if (decoded == '\uFFFF') {
                    if (e == '\\' || e == '?' || e == '\'' || e == '"') {
                        out.append(e);
                    } else {
                        out.append(c).append(e);
                    }
                } else {
                    out.append(decoded);
                }
                i++;
            }
        }
        return out.toString();
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
