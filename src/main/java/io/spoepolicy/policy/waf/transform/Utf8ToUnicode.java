package io.spoepolicy.policy.waf.transform;

/**
 * {@code utf8toUnicode}: each valid multi-byte UTF-8 sequence becomes {@code %uXXXX} (so that a
 * following {@code urlDecodeUni} maps full-width look-alikes to ASCII); other bytes are kept.
 */
public final class Utf8ToUnicode {

    private Utf8ToUnicode() {}

    public static String apply(String s) {
        int first = firstHighByte(s);
        if (first < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length() + 16).append(s, 0, first);
        int n = s.length();
        int i = first;
        while (i < n) {
            int c = s.charAt(i);
            int len = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 1;
            if (len > 1 && i + len <= n && continuationBytes(s, i + 1, len - 1)) {
                int code = c & (0xFF >> (len + 1));
                for (int k = 1; k < len; k++) {
                    code = (code << 6) | (s.charAt(i + k) & 0x3F);
                }
                String hex = Integer.toHexString(code);
                out.append("%u");
                for (int pad = hex.length(); pad < 4; pad++) {
                    out.append('0');
                }
                out.append(hex);
                i += len;
            } else {
                out.append((char) c);
                i++;
            }
        }
        return out.toString();
    }

    private static int firstHighByte(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return i;
            }
        }
        return -1;
    }

    private static boolean continuationBytes(String s, int from, int count) {
        for (int k = from; k < from + count; k++) {
            char b = s.charAt(k);
            if (b < 0x80 || b > 0xBF) {
                return false;
            }
        }
        return true;
    }
}
