package io.spoepolicy.policy.waf.transform;

/** {@code urlDecode} / {@code urlDecodeUni}: invalid escapes are kept as they are. */
public final class UrlDecoding {

    private UrlDecoding() {}

    public static String decode(String s, boolean unicode) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '+') {
                out.append(' ');
            } else if (c == '%') {
                if (unicode && i + 1 < n && (s.charAt(i + 1) == 'u' || s.charAt(i + 1) == 'U')
                        && Hex.hexRun(s, i + 2, 4)) {
                    out.append(Hex.unicodeToByte(Hex.parse(s, i + 2, 4)));
                    i += 5;
                } else if (Hex.hexRun(s, i + 1, 2)) {
                    out.append((char) Hex.parse(s, i + 1, 2));
                    i += 2;
                } else {
                    out.append(c);
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Percent-decoding only ({@code +} stays), as for paths. */
    public static String decodePercent(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && Hex.hexRun(s, i + 1, 2)) {
                out.append((char) Hex.parse(s, i + 1, 2));
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
