package io.spoepolicy.loadgen;

import java.util.ArrayList;
import java.util.List;

/** How the agent under test is configured: which policies run. */
enum AgentSetup {

    /** Only {@link AllowAllPolicy}: the cost of the agent itself. */
    ALLOW_ALL,
    /** The embedded default configuration (root application.yml): every built-in policy it enables. */
    DEFAULT,
    /** The default configuration plus the WAF with OWASP CRS at paranoia level 1. */
    WAF;

    static AgentSetup parse(String text) {
        return switch (text) {
            case "allow-all" -> ALLOW_ALL;
            case "default" -> DEFAULT;
            case "waf" -> WAF;
            default -> throw new IllegalArgumentException("--policies: allow-all, default or waf, not " + text);
        };
    }

    /** OWASP CRS: -Dspoe.crs.dir, else ../shared/crs from the working directory (the project root). */
    static java.nio.file.Path crsDir() {
        String configured = System.getProperty("spoe.crs.dir");
        return java.nio.file.Path.of(configured != null ? configured : "../shared/crs").toAbsolutePath().normalize();
    }

    /** Application arguments for the service; {@code extraSources} are bench beans to add. */
    List<String> appArgs(List<String> extraSources) {
        List<String> args = new ArrayList<>();
        List<String> sources = new ArrayList<>(extraSources);
        if (this == ALLOW_ALL) {
            sources.add(AllowAllPolicy.class.getName());
            // Every built-in policy off, including those of branches not merged yet (unknown
            // keys are ignored), so that allow-all stays allow-all as policies land.
            for (String policy : List.of("ip-access", "waf", "rate-limit", "api-key", "jwt")) {
                args.add("--spoe.policies." + policy + ".enabled=false");
            }
        }
        if (this == WAF) {
            args.add("--spoe.policies.waf.enabled=true");
            args.add("--spoe.policies.waf.paranoia-level=1");
            args.add("--spoe.policies.waf.crs-dir=" + crsDir());
        }
        if (!sources.isEmpty()) {
            args.add("--spring.main.sources=" + String.join(",", sources));
        }
        return args;
    }
}
