package io.spoepolicy.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** Reads meters in tests, with 0 for a meter not registered yet. */
record Meters(MeterRegistry registry) {

    double count(String name, String... tags) {
        Counter counter = registry.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    long timerCount(String name, String... tags) {
        Timer timer = registry.find(name).tags(tags).timer();
        return timer == null ? 0 : timer.count();
    }

    /** Sum over every counter of that name matching the tags. */
    double sum(String name, String... tags) {
        return registry.find(name).tags(tags).counters().stream().mapToDouble(Counter::count).sum();
    }

    double gauge(String name, String... tags) {
        return registry.get(name).tags(tags).gauge().value();
    }
}
