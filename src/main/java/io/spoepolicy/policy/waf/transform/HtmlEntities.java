package io.spoepolicy.policy.waf.transform;

/**
 * {@code htmlEntityDecode}: numeric entities (decimal and hex, terminating semicolon optional)
 * and the named entities {@code quot amp lt gt nbsp}; a code point becomes its low byte.
 */
public final class HtmlEntities {

    private static final String[] NAMES = {"quot", "amp", "lt", "gt", "nbsp"};
    private static final char[] CHARS = {'"', '&', '<', '>', (char) 0xA0};

    private HtmlEntities() {}

    public static String decode(String s) {
        int amp = s.indexOf('&');
        if (amp < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        out.append(s, 0, amp);
        int n = s.length();
        int i = amp;
        while (i < n) {
            char c = s.charAt(i);
            if (c != '&' || i + 1 >= n) {
                out.append(c);
                i++;
                continue;
            }
            int consumed = numeric(s, i, out);
            if (consumed == 0) {
                consumed = named(s, i, out);
            }
            if (consumed == 0) {
                out.append(c);
                i++;
            } else {
                i += consumed;
            }
        }
        return out.toString();
    }

    private static int numeric(String s, int at, StringBuilder out) {
        int n = s.length();
        if (s.charAt(at + 1) != '#') {
            return 0;
        }
        int j = at + 2;
        boolean hex = j < n && (s.charAt(j) == 'x' || s.charAt(j) == 'X');
        if (hex) {
            j++;
        }
        int start = j;
        int value = 0;
        while (j < n && (hex ? Hex.isHex(s.charAt(j)) : Character.isDigit(s.charAt(j)))) {
            value = (value * (hex ? 16 : 10) + Hex.value(s.charAt(j))) & 0xFFFFFF;
            j++;
        }
        if (j == start) {
            return 0;
        }
        out.append((char) (value & 0xFF));
        if (j < n && s.charAt(j) == ';') {
            j++;
        }
        return j - at;
    }

    private static int named(String s, int at, StringBuilder out) {
        for (int k = 0; k < NAMES.length; k++) {
            String name = NAMES[k];
            if (s.regionMatches(true, at + 1, name, 0, name.length())) {
                out.append(CHARS[k]);
                int j = at + 1 + name.length();
                if (j < s.length() && s.charAt(j) == ';') {
                    j++;
                }
                return j - at;
            }
        }
        return 0;
    }
}
