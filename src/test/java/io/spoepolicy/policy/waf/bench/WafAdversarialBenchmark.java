package io.spoepolicy.policy.waf.bench;

import io.spoepolicy.policy.waf.WafEngine;
import io.spoepolicy.policy.waf.WafRequest;
import io.spoepolicy.policy.waf.WafResult;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Worst cases: 64 KB urlencoded bodies shaped to hurt regex engines and rule evaluation, with
 * OWASP CRS loaded and no time budget. One evaluation takes long enough to time it singly.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class WafAdversarialBenchmark {

    @Param({"1", "2"})
    public int paranoiaLevel;

    @Param({"nested-brackets", "quote-storm", "sql-keywords", "many-args"})
    public String adversarialBody;

    private WafEngine engine;
    private WafRequest adversarial;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        engine = CrsBench.unbudgeted(CrsBench.rules(), paranoiaLevel);
        adversarial = WafBenchmark.post(WafBenchmark.adversarialBody(adversarialBody));
    }

    @Benchmark
    public WafResult adversarial() {
        return engine.evaluate(adversarial);
    }
}
