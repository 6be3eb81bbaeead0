package io.spoepolicy.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BoundedTagValuesTest {

    @Test
    void valuesBeyondTheLimitShareTheOtherMeter() {
        MeterRegistry registry = new SimpleMeterRegistry();
        BoundedTagValues<Counter> counters = new BoundedTagValues<>(3,
                value -> Counter.builder("test").tag("value", value).register(registry));
        for (int i = 0; i < 100; i++) {
            counters.get("v" + i).increment();
        }
        counters.get("v0").increment();
        counters.get(null).increment();

        assertThat(counters.size()).isEqualTo(3);
        assertThat(registry.get("test").counters()).hasSize(4);
        assertThat(registry.get("test").tag("value", "v0").counter().count()).isEqualTo(2);
        assertThat(registry.get("test").tag("value", "other").counter().count()).isEqualTo(98);
        assertThat(counters.get("v1")).isSameAs(counters.get("v1"));
    }

    @Test
    void remembersInstancesWithoutChangingWhichMeterAValueGets() {
        MeterRegistry registry = new SimpleMeterRegistry();
        BoundedTagValues<Counter> counters = new BoundedTagValues<>(2,
                value -> Counter.builder("test").tag("value", value).register(registry));
        // More equal-but-distinct instances than are remembered, then the first ones again.
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 3 * BoundedTagValues.RECENT; i++) {
                counters.get(new String("a")).increment();
                counters.get(i % 2 == 0 ? "" : null).increment();
                counters.get(new String("over-" + (i % 3))).increment();
            }
        }
        String constant = "a";
        assertThat(counters.get(constant)).isSameAs(counters.get(new String("a")));
        assertThat(registry.get("test").tag("value", "a").counter().count()).isEqualTo(6 * BoundedTagValues.RECENT);
        assertThat(registry.get("test").tag("value", "none").counter().count()).isEqualTo(6 * BoundedTagValues.RECENT);
        assertThat(registry.get("test").tag("value", "other").counter().count()).isEqualTo(6 * BoundedTagValues.RECENT);
        assertThat(registry.get("test").counters()).hasSize(3);
    }
}
