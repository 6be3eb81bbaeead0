package io.spoepolicy.policy.waf.spring;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

import io.spoepolicy.policy.waf.SkippedRule;
import io.spoepolicy.policy.waf.WafLoadReport;
import io.spoepolicy.policy.waf.regex.dfa.LazyDfaStats;

/**
 * {@code /actuator/waf}: which rule files were loaded, how many rules, and every rule skipped
 * or degraded by id with the reason, so operators see what of CRS is not enforced; and, live,
 * how often the lazily built {@code @rx} DFAs cleared their full cache and which patterns are
 * left to RE2J for now ({@code regexDfaCache}).
 */
@Endpoint(id = "waf")
public class WafEndpoint {

    private final WafLoadReport report;
    private final WafProperties properties;
    private final LazyDfaStats regexDfaCache;

    public WafEndpoint(WafLoadReport report, WafProperties properties) {
        this(report, properties, new LazyDfaStats());
    }

    public WafEndpoint(WafLoadReport report, WafProperties properties, LazyDfaStats regexDfaCache) {
        this.report = report;
        this.properties = properties;
        this.regexDfaCache = regexDfaCache;
    }

    @ReadOperation
    public Map<String, Object> report() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ruleSource", properties.crsDir() == null ? "built-in" : properties.crsDir().toString());
        out.put("paranoiaLevel", properties.paranoiaLevel());
        out.put("inboundThreshold", properties.inboundThreshold());
        out.put("detectOnly", properties.detectOnly());
        out.put("files", report.sources());
        out.put("rulesLoaded", report.rulesLoaded());
        out.put("skipped", rows(report.skipped()));
        out.put("degraded", rows(report.degraded()));
        out.put("regex", report.regex());
        out.put("regexDfaCache", regexDfaCache.snapshot());
        return out;
    }

    private static List<Map<String, Object>> rows(List<SkippedRule> rules) {
        return rules.stream().map(r -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", r.ruleId());
            row.put("source", r.source());
            row.put("reason", r.reason());
            return row;
        }).toList();
    }
}
