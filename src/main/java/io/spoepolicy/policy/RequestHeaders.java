package io.spoepolicy.policy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.spoepolicy.protocol.SpopProtocolException;
import io.spoepolicy.protocol.Varint;

/**
 * HTTP request headers decoded from HAProxy's {@code req.hdrs_bin}: pairs of varint-prefixed
 * name and value, ended by two zero lengths. Names arrive lower-cased from HAProxy and are
 * lower-cased again here for other producers; values are decoded as ISO-8859-1, which maps every
 * octet to one char, so nothing a client sent is lost or altered.
 */
public final class RequestHeaders {

    private static final RequestHeaders EMPTY = new RequestHeaders(List.of());

    private final List<Map.Entry<String, String>> entries;

    private RequestHeaders(List<Map.Entry<String, String>> entries) {
        this.entries = entries;
    }

    public static RequestHeaders empty() {
        return EMPTY;
    }

    public static RequestHeaders of(List<Map.Entry<String, String>> entries) {
        List<Map.Entry<String, String>> copy = new ArrayList<>(entries.size());
        for (Map.Entry<String, String> entry : entries) {
            copy.add(Map.entry(entry.getKey().toLowerCase(Locale.ROOT), entry.getValue()));
        }
        return new RequestHeaders(Collections.unmodifiableList(copy));
    }

    /**
     * Parses the {@code req.hdrs_bin} layout.
     *
     * @throws IllegalArgumentException when the block is truncated or a length overruns it
     */
    public static RequestHeaders parse(byte[] data, int offset, int length) {
        int limit = offset + length;
        int[] position = {offset};
        List<Map.Entry<String, String>> entries = new ArrayList<>();
        try {
            while (position[0] < limit) {
                int nameLength = length(data, position, limit);
                int nameStart = position[0];
                position[0] += nameLength;
                int valueLength = length(data, position, limit);
                if (nameLength == 0 && valueLength == 0) {
                    break;
                }
                String name = new String(data, nameStart, nameLength, StandardCharsets.ISO_8859_1)
                        .toLowerCase(Locale.ROOT);
                String value = new String(data, position[0], valueLength, StandardCharsets.ISO_8859_1);
                position[0] += valueLength;
                entries.add(Map.entry(name, value));
            }
        }
        catch (SpopProtocolException ex) {
            throw new IllegalArgumentException("malformed header block: " + ex.getMessage(), ex);
        }
        return new RequestHeaders(Collections.unmodifiableList(entries));
    }

    private static int length(byte[] data, int[] position, int limit) {
        long length = Varint.read(data, position, limit);
        if (length < 0 || length > limit - position[0]) {
            throw new IllegalArgumentException("malformed header block: length overruns the block");
        }
        return (int) length;
    }

    /** The first value of a header, or {@code null}; the name is matched case-insensitively. */
    public String first(String name) {
        for (Map.Entry<String, String> entry : entries) {
            if (entry.getKey().equalsIgnoreCase(name)) {
                return entry.getValue();
            }
        }
        return null;
    }

    /** Every value of a header, in order. */
    public List<String> all(String name) {
        List<String> values = new ArrayList<>(1);
        for (Map.Entry<String, String> entry : entries) {
            if (entry.getKey().equalsIgnoreCase(name)) {
                values.add(entry.getValue());
            }
        }
        return values;
    }

    /** All headers as lower-cased name and value pairs, in the order the client sent them. */
    public List<Map.Entry<String, String>> asList() {
        return entries;
    }

    public int size() {
        return entries.size();
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    @Override
    public String toString() {
        return "RequestHeaders" + entries;
    }
}
