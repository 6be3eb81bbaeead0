package io.spoepolicy.policy.waf.request;

import java.nio.charset.StandardCharsets;

/**
 * The engine inspects bytes, as ModSecurity does: each char of an inspected string is one byte
 * (ISO-8859-1 view). Strings from callers are text, so non-ASCII text is turned into its UTF-8
 * bytes first.
 */
public final class ByteStrings {

    private ByteStrings() {}

    public static String of(String text) {
        if (text == null) {
            return "";
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
            }
        }
        return text;
    }

    public static String of(byte[] bytes, int length) {
        return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
    }
}
