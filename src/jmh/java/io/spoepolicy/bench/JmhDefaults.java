package io.spoepolicy.bench;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The run settings every JMH benchmark of {@code src/jmh} shares: average time in ns, 3 × 2 s of
 * warm-up, 5 × 2 s measured, one fork with a fixed 1 GB heap so GC sizing does not differ
 * between runs. JMH's class-level annotations are {@code @Inherited}, so a benchmark that
 * extends this class gets them; one that needs other settings annotates itself, which wins.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public abstract class JmhDefaults {
}
