package io.spoepolicy.loadgen;

import java.util.ArrayList;
import java.util.List;

/** How the agent under test is configured: which policies run. */
enum AgentSetup {

    /** Only {@link AllowAllPolicy}: the cost of the agent itself. */
    ALLOW_ALL,
    /** The embedded default configuration (root application.yml): every built-in policy it enables. */
    DEFAULT;

    static AgentSetup parse(String text) {
        return switch (text) {
            case "allow-all" -> ALLOW_ALL;
            case "default" -> DEFAULT;
            default -> throw new IllegalArgumentException("--policies: allow-all or default, not " + text);
        };
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
        if (!sources.isEmpty()) {
            args.add("--spring.main.sources=" + String.join(",", sources));
        }
        return args;
    }
}
