package io.spoepolicy.policy.waf.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;

/**
 * Runs {@link WafBenchmark} on demand and writes a Markdown table to
 * {@code target/waf-benchmarks.md}:
 * {@code ./mvnw -q test -Dtest=WafBenchmarkRunner -Dwaf.bench=true}. Skipped otherwise, so the
 * default build stays fast.
 */
@EnabledIfSystemProperty(named = "waf.bench", matches = "true")
class WafBenchmarkRunner {

    @Test
    void run() throws Exception {
        String crs = "-Dspoe.crs.dir=" + System.getProperty("spoe.crs.dir", "../shared/crs");
        Options typical = new OptionsBuilder()
                .include(WafBenchmark.class.getName())
                .forks(1)
                .warmupIterations(3)
                .warmupTime(TimeValue.seconds(2))
                .measurementIterations(5)
                .measurementTime(TimeValue.seconds(2))
                .jvmArgsAppend("-Xmx512m", crs)
                .build();
        Options adversarial = new OptionsBuilder()
                .include(WafAdversarialBenchmark.class.getName())
                .forks(1)
                .warmupIterations(2)
                .measurementIterations(5)
                .jvmArgsAppend("-Xmx512m", crs)
                .build();
        Collection<RunResult> results = new java.util.ArrayList<>(new Runner(typical).run());
        results.addAll(new Runner(adversarial).run());
        StringBuilder md = new StringBuilder("| Benchmark | Paranoia | Body | Samples | Median µs | p99 µs | Max µs |\n"
                + "|---|---:|---|---:|---:|---:|---:|\n");
        for (RunResult r : results) {
            Statistics s = r.getPrimaryResult().getStatistics();
            String name = r.getParams().getBenchmark().replaceAll(".*\\.", "");
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %.0f | %.0f | %.0f |%n", name,
                    r.getParams().getParam("paranoiaLevel"),
                    name.equals("typical") ? "1 KB form" : "64 KB " + r.getParams().getParam("adversarialBody"),
                    s.getN(), s.getPercentile(50), s.getPercentile(99), s.getMax()));
        }
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/waf-benchmarks.md"), md);
        System.out.println(md);
    }
}
