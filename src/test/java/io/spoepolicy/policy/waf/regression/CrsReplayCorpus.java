package io.spoepolicy.policy.waf.regression;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.spoepolicy.policy.waf.InspectionLimits;
import io.spoepolicy.policy.waf.WafEngine;
import io.spoepolicy.policy.waf.WafRules;
import io.spoepolicy.policy.waf.WafSettings;

/**
 * The inputs the {@code @rx} soundness tests check every CRS pattern against: replays the CRS
 * regression tests through {@code rules} (whose operators the caller has wrapped to record what
 * each pattern saw), then gathers every request's URI, header values and body with those values.
 */
final class CrsReplayCorpus {

    private CrsReplayCorpus() {
    }

    /**
     * @param seen the values each pattern saw, filled by the caller's wrapped operators during
     *        the replay and read after it
     */
    static List<String> replay(Path crs, WafRules rules, Collection<? extends Set<String>> seen) throws IOException {
        WafSettings settings = new WafSettings(4, 5, true,
                new InspectionLimits(1024 * 1024, 4096, Duration.ZERO), List.of(), CrsRegressionTest.CRS_TEST_SETUP);
        CrsRegressionRunner runner = new CrsRegressionRunner(new WafEngine(rules, settings));
        Set<String> corpus = new LinkedHashSet<>();
        for (FtwCase c : FtwLoader.load(crs.resolve("tests"))) {
            runner.run(c);
            for (FtwStage s : c.stages()) {
                RawHttpRequest raw = RawHttpRequest.fromStage(s.input());
                corpus.add(raw.uri());
                raw.headers().forEach(h -> corpus.add(h.getValue()));
                corpus.add(new String(raw.body(), StandardCharsets.ISO_8859_1));
            }
        }
        seen.forEach(corpus::addAll);
        return new ArrayList<>(corpus);
    }
}
