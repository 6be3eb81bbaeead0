package io.spoepolicy.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Builds byte arrays from the notation of the protocol reference: hex bytes and "quoted text". */
public final class Hex {

    private Hex() {
    }

    public static byte[] bytes(String spec) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < spec.length()) {
            char c = spec.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            }
            else if (c == '"') {
                int end = spec.indexOf('"', i + 1);
                out.writeBytes(spec.substring(i + 1, end).getBytes(StandardCharsets.US_ASCII));
                i = end + 1;
            }
            else {
                out.write(HexFormat.fromHexDigits(spec, i, i + 2));
                i += 2;
            }
        }
        return out.toByteArray();
    }

    public static String hex(byte[] bytes) {
        return HexFormat.ofDelimiter(" ").formatHex(bytes);
    }
}
