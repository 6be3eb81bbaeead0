package io.spoepolicy.observability;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Meters keyed by a tag value that is not known in advance (a message name, a policy's reason),
 * with at most {@code limit} distinct values; every further value shares the {@code other} meter.
 * Lookups of known values allocate nothing. The values a hot path passes are nearly always the
 * same few String instances (policy names, reason constants, the decoder's reused message
 * names), so the first {@value #RECENT} instances seen are kept in an immutable array compared
 * by identity before the map is read: a volatile read and a reference comparison or two.
 *
 * @param <M> the meter (or group of meters) kept per value
 */
final class BoundedTagValues<M> {

    static final String OTHER = "other";
    static final int RECENT = 8;

    /** A value instance and its meter. */
    private record Known<M>(String value, M meter) {
    }

    private static final Known<?>[] NONE_KNOWN = new Known<?>[0];

    @SuppressWarnings("unchecked")
    private volatile Known<M>[] known = (Known<M>[]) NONE_KNOWN;
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
        Known<M>[] snapshot = known;
        for (Known<M> entry : snapshot) {
            if (entry.value() == value) {
                return entry.meter();
            }
        }
        String key = value == null || value.isEmpty() ? "none" : value;
        M meter = meters.get(key);
        if (meter == null) {
            meter = create(key);
        }
        if (snapshot.length < RECENT) {
            remember(value, meter);
        }
        return meter;
    }

    /** Copy-on-write, at most {@value #RECENT} times in the life of this object. */
    @SuppressWarnings("unchecked")
    private synchronized void remember(String value, M meter) {
        Known<M>[] current = known;
        if (current.length >= RECENT) {
            return;
        }
        for (Known<M> entry : current) {
            if (entry.value() == value) {
                return;
            }
        }
        Known<M>[] next = java.util.Arrays.copyOf(current, current.length + 1);
        next[current.length] = new Known<>(value, meter);
        known = next;
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
