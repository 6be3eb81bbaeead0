package io.spoepolicy.policy.waf.bench;

import io.spoepolicy.policy.waf.WafEngine;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What the WAF evaluation benchmarks share: OWASP CRS loaded once per trial at the run's
 * paranoia level, without a time budget ({@link CrsBench#unbudgeted}), times in µs. Each
 * subclass picks its mode and builds its request; JMH inherits these annotations, the parameter
 * and the set-up.
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public abstract class CrsEngineBenchmark {

    @Param({"1", "2"})
    public int paranoiaLevel;

    WafEngine engine;

    @Setup(Level.Trial)
    public void loadCrs() throws IOException {
        engine = CrsBench.unbudgeted(CrsBench.rules(), paranoiaLevel);
    }
}
