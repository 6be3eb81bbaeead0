package io.spoepolicy.observability;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * A short digest of a configuration summary. Maps are read in key order, so the same settings give
 * the same version on every replica whatever map type a policy returns.
 */
final class ConfigVersion {

    private ConfigVersion() {
    }

    static String of(Object summary) {
        StringBuilder canonical = new StringBuilder();
        append(canonical, summary);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", ex);
        }
    }

    private static void append(StringBuilder out, Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> sorted = new TreeMap<>();
            map.forEach((key, entry) -> sorted.put(String.valueOf(key), entry));
            out.append('{');
            sorted.forEach((key, entry) -> {
                quote(out, key);
                out.append(':');
                append(out, entry);
                out.append(',');
            });
            out.append('}');
        }
        else if (value instanceof Collection<?> collection) {
            out.append('[');
            for (Object entry : collection) {
                append(out, entry);
                out.append(',');
            }
            out.append(']');
        }
        else if (value instanceof Object[] array) {
            append(out, Arrays.asList(array));
        }
        else if (value == null || value instanceof Number || value instanceof Boolean) {
            out.append(value);
        }
        else {
            quote(out, value.toString());
        }
    }

    private static void quote(StringBuilder out, String text) {
        out.append('"').append(text.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
    }
}
