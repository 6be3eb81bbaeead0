package io.spoepolicy.policy.waf.bench;

import io.spoepolicy.policy.waf.CrsTestSupport;
import io.spoepolicy.policy.waf.InspectionLimits;
import io.spoepolicy.policy.waf.WafEngine;
import io.spoepolicy.policy.waf.WafRules;
import io.spoepolicy.policy.waf.WafRulesLoader;
import io.spoepolicy.policy.waf.WafSettings;
import io.spoepolicy.policy.waf.operator.RegexOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** OWASP CRS as the WAF benchmarks load it, and the two settings they measure it with. */
public final class CrsBench {

    private CrsBench() {
    }

    /** CRS from {@code -Dspoe.crs.dir} or {@code ../shared/crs}, no exclusions. */
    public static WafRules rules() throws IOException {
        return WafRulesLoader.crs(CrsTestSupport.crs(), List.of());
    }

    /** The same with the given {@code @rx} options (e.g. without DFAs, for comparisons). */
    public static WafRules rules(RegexOptions regex) throws IOException {
        return WafRulesLoader.crs(CrsTestSupport.crs(), List.of(), regex);
    }

    /**
     * As the service runs CRS with the property defaults: paranoia 1, anomaly threshold 5,
     * 128 KB body, 1024 arguments, 250 ms budget.
     */
    public static WafSettings serviceDefaults() {
        return new WafSettings(1, 5, false, new InspectionLimits(128 * 1024, 1024, Duration.ofMillis(250)),
                List.of(), Map.of());
    }

    /**
     * The engine the evaluation benchmarks time: 4096 arguments and no time budget, so a slow
     * evaluation is measured whole instead of cut short.
     */
    static WafEngine unbudgeted(WafRules rules, int paranoiaLevel) {
        return new WafEngine(rules, new WafSettings(paranoiaLevel, 5, false,
                new InspectionLimits(128 * 1024, 4096, Duration.ZERO), List.of(), Map.of()));
    }
}
