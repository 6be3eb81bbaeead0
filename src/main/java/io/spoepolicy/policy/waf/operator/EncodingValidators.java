package io.spoepolicy.policy.waf.operator;

/** {@code @validateUrlEncoding} and {@code @validateUtf8Encoding}: match on invalid input. */
public final class EncodingValidators {

    private EncodingValidators() {}

    public static final Operator URL_ENCODING = (input, ctx) -> !validUrlEncoding(input);
    public static final Operator UTF8_ENCODING = (input, ctx) -> !validUtf8(input);

    static boolean validUrlEncoding(String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) == '%') {
                if (i + 2 >= n || !isHex(s.charAt(i + 1)) || !isHex(s.charAt(i + 2))) {
                    return false;
                }
                i += 2;
            }
        }
        return true;
    }

    /** Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF. */
    static boolean validUtf8(String s) {
        int n = s.length();
        int i = 0;
        while (i < n) {
            int c = s.charAt(i);
            if (c < 0x80) {
                i++;
                continue;
            }
            int len;
            int min;
            if (c >= 0xC2 && c <= 0xDF) {
                len = 2;
                min = 0x80;
            } else if (c >= 0xE0 && c <= 0xEF) {
                len = 3;
                min = 0x800;
            } else if (c >= 0xF0 && c <= 0xF4) {
                len = 4;
                min = 0x10000;
            } else {
                return false;
            }
            if (i + len > n) {
                return false;
            }
            int code = c & (0xFF >> (len + 1));
            for (int k = 1; k < len; k++) {
                int b = s.charAt(i + k);
                if (b < 0x80 || b > 0xBF) {
                    return false;
                }
                code = (code << 6) | (b & 0x3F);
            }
            if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
                return false;
            }
            i += len;
        }
        return true;
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
