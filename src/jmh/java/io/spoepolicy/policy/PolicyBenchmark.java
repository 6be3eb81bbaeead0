package io.spoepolicy.policy;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.spoepolicy.loadgen.Messages;
import io.spoepolicy.policy.waf.CrsTestSupport;
import io.spoepolicy.policy.waf.InspectionLimits;
import io.spoepolicy.policy.waf.WafEngine;
import io.spoepolicy.policy.waf.WafRulesLoader;
import io.spoepolicy.policy.waf.WafSettings;
import io.spoepolicy.policy.waf.spring.WafPolicy;
import io.spoepolicy.policy.access.IpAccessPolicy;
import io.spoepolicy.policy.access.IpAccessProperties;

/**
 * Each built-in policy's {@code decide} on the typical request, with the configuration of the
 * root application.yml. A fresh {@link PolicyRequest} per call, so lazily parsed parts (headers)
 * are paid each time as in the service.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class PolicyBenchmark {

    private IpAccessPolicy ipAccess;
    private WafPolicy waf;
    private io.spoepolicy.protocol.SpopMessage message;

    @Setup
    public void setUp() {
        // The demo lists of application.yml, and a larger deny list typical of a blocklist.
        ipAccess = new IpAccessPolicy(new IpAccessProperties(true, List.of("10.0.0.0/8"),
                List.of("127.0.0.2/32", "192.0.2.0/24", "198.51.100.0/24", "2001:db8::/32"),
                IpAccessProperties.DefaultAction.ALLOW, 403, "ip"));
        message = Messages.typical();
        // OWASP CRS at paranoia level 1 with the property defaults (threshold 5, 128 KB body,
        // 1024 arguments, 250 ms budget); CRS from -Dspoe.crs.dir or ../shared/crs.
        try {
            waf = new WafPolicy(new WafEngine(WafRulesLoader.crs(CrsTestSupport.crs(), List.of()),
                    new WafSettings(1, 5, false, new InspectionLimits(128 * 1024, 1024, java.time.Duration.ofMillis(250)),
                            List.of(), java.util.Map.of())), 403, false);
        }
        catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    /** The WAF (CRS PL1) on the typical GET: it runs on the policy scheduler in the service. */
    @Benchmark
    public Decision wafCrsParanoia1() {
        return waf.decide(new PolicyRequest(message, "engine"));
    }

    @Benchmark
    public Decision ipAccess() {
        return ipAccess.decide(new PolicyRequest(message, "engine"));
    }
}
