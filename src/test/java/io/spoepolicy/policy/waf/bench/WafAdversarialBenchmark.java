package io.spoepolicy.policy.waf.bench;

import io.spoepolicy.policy.waf.WafRequest;
import io.spoepolicy.policy.waf.WafResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * Worst cases: 64 KB urlencoded bodies shaped to hurt regex engines and rule evaluation, with
 * OWASP CRS loaded and no time budget. One evaluation takes long enough to time it singly.
 */
@BenchmarkMode(Mode.SingleShotTime)
public class WafAdversarialBenchmark extends CrsEngineBenchmark {

    @Param({"nested-brackets", "quote-storm", "sql-keywords", "many-args"})
    public String adversarialBody;

    private WafRequest adversarial;

    @Setup(Level.Trial)
    public void setUp() {
        adversarial = WafBenchmark.post(WafBenchmark.adversarialBody(adversarialBody));
    }

    @Benchmark
    public WafResult adversarial() {
        return engine.evaluate(adversarial);
    }
}
