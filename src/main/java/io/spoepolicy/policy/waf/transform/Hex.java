package io.spoepolicy.policy.waf.transform;

/** Hex digit helpers shared by the decoders. */
final class Hex {

    private Hex() {}

    static int value(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    static boolean isHex(char c) {
        return value(c) >= 0;
    }

    /** Whether {@code count} hex digits start at {@code from}. */
    static boolean hexRun(String s, int from, int count) {
        if (from + count > s.length()) {
            return false;
        }
        for (int i = from; i < from + count; i++) {
            if (!isHex(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static int parse(String s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            v = (v << 4) | value(s.charAt(i));
        }
        return v;
    }

    /**
     * The byte a 16-bit code unit stands for, as ModSecurity maps it without a unicode map: the
     * low byte, except that full-width ASCII (U+FF01..U+FF5E) maps to the ASCII it mimics.
     */
    static char unicodeToByte(int code) {
        if (code >= 0xFF01 && code <= 0xFF5E) {
            return (char) ((code & 0xFF) + 0x20);
        }
        return (char) (code & 0xFF);
    }
}
