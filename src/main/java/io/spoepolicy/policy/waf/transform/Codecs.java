package io.spoepolicy.policy.waf.transform;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Base64, hex and digest transformations on byte strings. */
public final class Codecs {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Codecs() {}

    /**
     * Decodes base64 leniently: stops at padding or, unless {@code skipInvalid}, at the first
     * character outside the alphabet, and decodes what came before, as ModSecurity does.
     */
    public static String base64Decode(String s, boolean skipInvalid) {
        StringBuilder out = new StringBuilder(s.length() * 3 / 4 + 1);
        int bits = 0;
        int count = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int v = base64Value(c);
            if (v < 0) {
                if (c == '=' || !skipInvalid) {
                    break;
                }
                continue;
            }
            bits = (bits << 6) | v;
            count += 6;
            if (count >= 8) {
                count -= 8;
                out.append((char) ((bits >> count) & 0xFF));
            }
        }
        return out.toString();
    }

    private static int base64Value(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        if (c == '+' || c == '-') {
            return 62;
        }
        if (c == '/' || c == '_') {
            return 63;
        }
        return -1;
    }

    public static String hexDecode(String s) {
        StringBuilder out = new StringBuilder(s.length() / 2);
        for (int i = 0; i + 1 < s.length(); i += 2) {
            int hi = Hex.value(s.charAt(i));
            int lo = Hex.value(s.charAt(i + 1));
            if (hi < 0 || lo < 0) {
                break;
            }
            out.append((char) ((hi << 4) | lo));
        }
        return out.toString();
    }

    public static String hexEncode(String s) {
        StringBuilder out = new StringBuilder(s.length() * 2);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            out.append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
        }
        return out.toString();
    }

    public static String digest(String s, String algorithm) {
        try {
            byte[] d = MessageDigest.getInstance(algorithm).digest(s.getBytes(StandardCharsets.ISO_8859_1));
            return new String(d, StandardCharsets.ISO_8859_1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required by the JDK", e);
        }
    }
}
