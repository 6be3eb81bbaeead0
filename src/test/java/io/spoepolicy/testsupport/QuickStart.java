package io.spoepolicy.testsupport;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds test configurations from the quick-start files in {@code docs/haproxy/}. The classpath copies
 * under {@code src/test/resources/haproxy/} are identical to the docs except for the
 * {@code ${FRONTEND_PORT}} and {@code ${AGENT_PORT}} tokens (enforced by {@code QuickStartDriftTest}),
 * so every end-to-end test exercises what users copy.
 *
 * <p>Edits are literal replacements that must match exactly, so a docs change that breaks an edit
 * fails the build instead of silently testing something else.
 */
public final class QuickStart {

    public static final String TEMPLATE_DIRECTORY = "haproxy";
    public static final String SPOE_FILE = "spoe.conf";
    public static final String FRONTEND_PORT = "FRONTEND_PORT";
    public static final String AGENT_PORT = "AGENT_PORT";
    /** The values the docs files use for the tokens. */
    public static final int DOCS_FRONTEND_PORT = 8000;
    public static final int DOCS_AGENT_PORT = 12345;

    private static final String FAIL_CLOSED_PREFIX = "    # http-request deny deny_status 503 ";
    private static final String AGENT_SECTION = "spoe-agent spoe-policy-agent\n";
    private static final String FIRST_AGENT_SERVER = "    server agent1 127.0.0.1:${AGENT_PORT} check inter 1s fall 2 rise 1\n";
    private static final String DEFAULT_BACKEND = "    default_backend be_app\n";
    private static final String PROCESSING_TIMEOUT = "    timeout processing 500ms\n";

    private int frontendPort = DOCS_FRONTEND_PORT;
    private final List<Integer> agentPorts = new ArrayList<>(List.of(DOCS_AGENT_PORT));
    private boolean failClosed;
    private String processingTimeout;
    private final List<String> agentLines = new ArrayList<>();
    private final List<String> frontendLines = new ArrayList<>();
    private final List<String> globalLines = new ArrayList<>();

    private QuickStart() {
    }

    public static QuickStart builder() {
        return new QuickStart();
    }

    /** The raw template, tokens unresolved. */
    public static HaproxyConfig template() {
        return HaproxyConfig.fromClasspath(TEMPLATE_DIRECTORY, HaproxyConfig.MAIN_FILE, SPOE_FILE);
    }

    public QuickStart frontendPort(int port) {
        this.frontendPort = port;
        return this;
    }

    /** One server line per port in {@code be_spoe_agents}: agent1, agent2, ... with the docs' check settings. */
    public QuickStart agentPorts(int... ports) {
        if (ports.length == 0) {
            throw new IllegalArgumentException("at least one agent port");
        }
        agentPorts.clear();
        for (int port : ports) {
            agentPorts.add(port);
        }
        return this;
    }

    /** Uncomments the documented fail-closed rules: 503 when the agent could not decide. */
    public QuickStart failClosed() {
        this.failClosed = true;
        return this;
    }

    /**
     * Replaces the docs' {@code timeout processing 500ms}, e.g. with {@code "5s"} for tests that check
     * protocol correctness under load on a CPU-starved machine rather than latency.
     */
    public QuickStart processingTimeout(String timeout) {
        this.processingTimeout = timeout;
        return this;
    }

    /** Adds a directive to the {@code spoe-agent} section, e.g. {@code "max-frame-size 1024"}. */
    public QuickStart spoeAgentLine(String directive) {
        agentLines.add(directive);
        return this;
    }

    /** Adds a rule to the frontend, after the docs' rules and before {@code default_backend}. */
    public QuickStart frontendLine(String directive) {
        frontendLines.add(directive);
        return this;
    }

    /** Adds a directive to the {@code global} section, e.g. {@code "nbthread 1"}. */
    public QuickStart globalLine(String directive) {
        globalLines.add(directive);
        return this;
    }

    public HaproxyConfig build() {
        HaproxyConfig config = template()
                .withToken(FRONTEND_PORT, frontendPort)
                .withToken(AGENT_PORT, agentPorts.get(0));
        if (failClosed) {
            config = config.replace(HaproxyConfig.MAIN_FILE, FAIL_CLOSED_PREFIX,
                    FAIL_CLOSED_PREFIX.replace("# ", ""), 2);
        }
        if (agentPorts.size() > 1) {
            StringBuilder servers = new StringBuilder(FIRST_AGENT_SERVER);
            for (int i = 1; i < agentPorts.size(); i++) {
                servers.append(FIRST_AGENT_SERVER.replace("agent1", "agent" + (i + 1))
                        .replace("${AGENT_PORT}", String.valueOf(agentPorts.get(i))));
            }
            config = config.replace(HaproxyConfig.MAIN_FILE, FIRST_AGENT_SERVER, servers.toString(), 1);
        }
        if (processingTimeout != null) {
            config = config.replace(SPOE_FILE, PROCESSING_TIMEOUT,
                    PROCESSING_TIMEOUT.replace("500ms", processingTimeout), 1);
        }
        if (!agentLines.isEmpty()) {
            config = config.replace(SPOE_FILE, AGENT_SECTION, AGENT_SECTION + indent(agentLines), 1);
        }
        if (!frontendLines.isEmpty()) {
            config = config.replace(HaproxyConfig.MAIN_FILE, DEFAULT_BACKEND, indent(frontendLines) + DEFAULT_BACKEND, 1);
        }
        if (!globalLines.isEmpty()) {
            config = config.replace(HaproxyConfig.MAIN_FILE, "\nglobal\n", "\nglobal\n" + indent(globalLines), 1);
        }
        return config;
    }

    private static String indent(List<String> lines) {
        StringBuilder out = new StringBuilder();
        lines.forEach(line -> out.append("    ").append(line).append('\n'));
        return out.toString();
    }
}
