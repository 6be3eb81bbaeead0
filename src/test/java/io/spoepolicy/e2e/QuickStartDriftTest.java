package io.spoepolicy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.spoepolicy.testsupport.HaproxyConfig;
import io.spoepolicy.testsupport.QuickStart;

/**
 * The test templates must stay the docs files plus tokens: tests that pass against a configuration
 * users never see prove nothing about the quick start.
 */
class QuickStartDriftTest {

    static final Path DOCS = Path.of("docs", "haproxy");

    @Test
    void templateRenderedWithDocsValuesIsTheDocsConfiguration() throws IOException {
        Map<String, String> rendered = QuickStart.template()
                .withToken(QuickStart.FRONTEND_PORT, QuickStart.DOCS_FRONTEND_PORT)
                .withToken(QuickStart.AGENT_PORT, QuickStart.DOCS_AGENT_PORT)
                .render();

        assertThat(rendered).containsOnlyKeys(HaproxyConfig.MAIN_FILE, QuickStart.SPOE_FILE);
        for (Map.Entry<String, String> file : rendered.entrySet()) {
            assertThat(file.getValue())
                    .as("src/test/resources/haproxy/%s drifted from docs/haproxy/%s", file.getKey(), file.getKey())
                    .isEqualTo(Files.readString(DOCS.resolve(file.getKey())));
        }
    }

    @Test
    void templateKeepsItsTokens() {
        String haproxyCfg = QuickStart.template().files().get(HaproxyConfig.MAIN_FILE);

        assertThat(haproxyCfg)
                .contains("bind 127.0.0.1:${FRONTEND_PORT}")
                .contains("server agent1 127.0.0.1:${AGENT_PORT} ")
                .doesNotContain(":" + QuickStart.DOCS_FRONTEND_PORT)
                .doesNotContain(":" + QuickStart.DOCS_AGENT_PORT);
    }

    @Test
    void builderEditsApplyToTheTemplate() {
        Map<String, String> rendered = QuickStart.builder()
                .frontendPort(18000)
                .agentPorts(18001, 18002)
                .failClosed()
                .spoeAgentLine("max-frame-size 1024")
                .processingTimeout("5s")
                .frontendLine("http-request set-header x-test 1")
                .globalLine("nbthread 1")
                .build()
                .render();

        assertThat(rendered.get(HaproxyConfig.MAIN_FILE))
                .contains("bind 127.0.0.1:18000")
                .contains("server agent1 127.0.0.1:18001 check inter 1s fall 2 rise 1\n"
                        + "    server agent2 127.0.0.1:18002 check inter 1s fall 2 rise 1\n")
                .contains("\n    http-request deny deny_status 503 if { var(txn.policy.error) -m found }\n")
                .contains("\n    http-request deny deny_status 503 if { var(txn.policy.agent_error) -m found }\n")
                .contains("    http-request set-header x-test 1\n    default_backend be_app\n")
                .contains("\nglobal\n    nbthread 1\n");
        assertThat(rendered.get(QuickStart.SPOE_FILE))
                .contains("spoe-agent spoe-policy-agent\n    max-frame-size 1024\n")
                .contains("    timeout processing 5s\n")
                .doesNotContain("500ms");
    }
}
