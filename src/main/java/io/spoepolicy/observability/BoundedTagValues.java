package io.spoepolicy.observability;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Meters keyed by a tag value that is not known in advance (a message name, a policy's reason),
 * with at most {@code limit} distinct values; every further value shares the {@code other} meter.
 * Lookups of known values are a single map read and allocate nothing.
 *
 * @param <M> the meter (or group of meters) kept per value
 */
final class BoundedTagValues<M> {

    static final String OTHER = "other";

    private final ConcurrentHashMap<String, M> meters = new ConcurrentHashMap<>();
    private final AtomicInteger distinct = new AtomicInteger();
    private final int limit;
    private final Function<String, M> factory;
    private volatile M other;

    BoundedTagValues(int limit, Function<String, M> factory) {
        this.limit = limit;
        this.factory = factory;
    }

    /** The meter for this value ({@code null} counts as {@code none}). */
    M get(String value) {
        String key = value == null || value.isEmpty() ? "none" : value;
        M meter = meters.get(key);
        return meter != null ? meter : create(key);
    }

    private M create(String key) {
        if (distinct.get() >= limit) {
            return other();
        }
        // Counted inside the mapping function so that racing threads create one entry; a value
        // over the limit is not stored, so the map stays bounded too.
        M created = meters.computeIfAbsent(key, k -> distinct.incrementAndGet() > limit ? null : factory.apply(k));
        return created != null ? created : other();
    }

    private M other() {
        M current = other;
        if (current == null) {
            synchronized (this) {
                current = other;
                if (current == null) {
                    current = factory.apply(OTHER);
                    other = current;
                }
            }
        }
        return current;
    }

    int size() {
        return meters.size();
    }
}
