package io.spoepolicy.policy.waf.request;

import java.util.Objects;

/**
 * One named value of a request collection (an argument, a header, a cookie...). Equal by key
 * and value, like a record.
 *
 * <p>It also carries the evaluation's transformation results for its value: every rule that
 * reads the value through the same transformations gets the result computed for the first one,
 * without hashing the value. Entries belong to one request's evaluation, so the slot is never
 * shared between threads.
 */
public final class Entry {

    private final String key;
    private final String value;
    private String[] transformed;

    public Entry(String key, String value) {
        this.key = key;
        this.value = value;
    }

    public String key() {
        return key;
    }

    public String value() {
        return value;
    }

    /**
     * The per-value transformation results, indexed by transformation-tree node, created with
     * {@code size} slots on first use.
     */
    public String[] transformed(int size) {
        String[] slots = transformed;
        if (slots == null || slots.length != size) {
            slots = new String[size];
            transformed = slots;
        }
        return slots;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Entry e && Objects.equals(key, e.key) && Objects.equals(value, e.value);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hashCode(key) + Objects.hashCode(value);
    }

    @Override
    public String toString() {
        return "Entry[key=" + key + ", value=" + value + "]";
    }
}
