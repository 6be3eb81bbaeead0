package io.spoepolicy.policy.waf;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Run-time settings of an engine, applied on top of the rules.
 *
 * @param paranoiaLevel CRS paranoia level 1..4 (blocking and detection)
 * @param inboundThreshold anomaly score at which a request is denied (CRS default 5)
 * @param detectOnly evaluate and report, never deny
 * @param limits inspection caps
 * @param exclusions rules switched off per host or path
 * @param txVariables further TX variables set before the rules run (CRS setup values such as
 *     {@code allowed_methods}); names without the {@code tx.} prefix
 */
public record WafSettings(
        int paranoiaLevel,
        int inboundThreshold,
        boolean detectOnly,
        InspectionLimits limits,
        List<RuleExclusion> exclusions,
        Map<String, String> txVariables) {

    public static final WafSettings DEFAULTS =
            new WafSettings(1, 5, false, InspectionLimits.DEFAULTS, List.of(), Map.of());

    public WafSettings {
        if (paranoiaLevel < 1 || paranoiaLevel > 4) {
            throw new IllegalArgumentException("paranoia level must be 1..4, was " + paranoiaLevel);
        }
        if (inboundThreshold < 1) {
            throw new IllegalArgumentException("inbound threshold must be positive, was " + inboundThreshold);
        }
        limits = limits == null ? InspectionLimits.DEFAULTS : limits;
        exclusions = exclusions == null ? List.of() : List.copyOf(exclusions);
        txVariables = txVariables == null ? Map.of() : Map.copyOf(txVariables);
    }

    public WafSettings withParanoiaLevel(int level) {
        return new WafSettings(level, inboundThreshold, detectOnly, limits, exclusions, txVariables);
    }

    public WafSettings withDetectOnly(boolean value) {
        return new WafSettings(paranoiaLevel, inboundThreshold, value, limits, exclusions, txVariables);
    }

    public WafSettings withTxVariables(Map<String, String> vars) {
        return new WafSettings(paranoiaLevel, inboundThreshold, detectOnly, limits, exclusions, vars);
    }

    /** TX variables every evaluation starts with (lower-case names). */
    Map<String, String> initialTx() {
        Map<String, String> tx = new LinkedHashMap<>();
        tx.put("blocking_paranoia_level", Integer.toString(paranoiaLevel));
        tx.put("detection_paranoia_level", Integer.toString(paranoiaLevel));
        tx.put("inbound_anomaly_score_threshold", Integer.toString(inboundThreshold));
        for (Map.Entry<String, String> e : txVariables.entrySet()) {
            tx.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue());
        }
        return tx;
    }
}
