package io.spoepolicy.policy.waf.request;

import java.nio.charset.StandardCharsets;

/**
 * The engine inspects bytes, as ModSecurity does: each char of an inspected string is one byte
 * (ISO-8859-1 view). Callers pass such byte views (that is how header values arrive from the
 * SPOE decoder); a string with characters above U+00FF cannot be one, so it is taken as text and
 * inspected as its UTF-8 bytes.
 */
public final class ByteStrings {

    private ByteStrings() {}

    public static String of(String text) {
        if (text == null) {
            return "";
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0xFF) {
                return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
            }
        }
        return text;
    }

    public static String of(byte[] bytes, int length) {
        return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
    }
}
