package io.spoepolicy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.spoepolicy.policy.DecisionContract;
import io.spoepolicy.policy.waf.spring.WafPolicy;
import io.spoepolicy.testsupport.HaproxyConfig;
import io.spoepolicy.testsupport.QuickStart;

/**
 * The test templates must stay the docs files plus tokens: tests that pass against a configuration
 * users never see prove nothing about the quick start. Every shipped {@code register-var-names}
 * line must list every variable the code can set: HAProxy 3.x silently drops the others.
 */
class QuickStartDriftTest {

    static final Path DOCS = Path.of("docs", "haproxy");

    /** Where operators copy HAProxy configuration from, and the test templates built on it. */
    static final List<Path> SHIPPED = List.of(Path.of("docs"), Path.of("helm"), Path.of("src", "test", "resources"),
            Path.of("README.md"));

    private static final Pattern REGISTER_LINE = Pattern.compile("(?m)^[ \\t]*register-var-names[ \\t]+(.*)$");

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
    void everyShippedRegisterVarNamesLineListsEveryVariableTheCodeSets() throws IOException {
        Map<String, List<String>> lines = registerLines();
        // The files this must cover: a scan that finds nothing would pass forever.
        assertThat(lines.keySet()).contains("docs/haproxy/spoe.conf", "docs/haproxy/kubernetes-spoe.conf",
                "docs/haproxy/kubernetes-spoe-3.1.conf", "docs/policies.md", "README.md",
                "helm/spoe-policy-service/templates/NOTES.txt", "src/test/resources/haproxy/spoe.conf");
        List<String> required = DecisionContract.variableNames();
        lines.forEach((file, names) -> assertThat(names)
                .as("register-var-names in %s misses variables the agent sets (HAProxy 3.x drops them)", file)
                .containsAll(required)
                .doesNotContain(DecisionContract.NOOP));
    }

    @Test
    void shippedListIsExactlyTheCodesList() throws IOException {
        String code = DecisionContract.registerVarNames(DecisionContract.variableNames());
        for (String file : List.of("docs/haproxy/spoe.conf", "docs/policies.md")) {
            assertThat(String.join(" ", registerLines().get(file)))
                    .as("%s lists what DecisionContract.variableNames() lists, in its order", file)
                    .isEqualTo(code);
        }
    }

    /** Every public name constant is in the list (a new variable cannot be forgotten there). */
    @Test
    void contractListsEveryVariableConstant() throws IllegalAccessException {
        Set<String> constants = new TreeSet<>();
        for (Field field : DecisionContract.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                constants.add((String) field.get(null));
            }
        }
        constants.remove(DecisionContract.NOOP);
        assertThat(DecisionContract.variableNames()).containsExactlyInAnyOrderElementsOf(constants)
                .doesNotHaveDuplicates();
        assertThat(new WafPolicy(null, 403, true).variables()).isSubsetOf(DecisionContract.variableNames());
        assertThat(DecisionContract.variableNames(List.of("tenant", DecisionContract.USER, DecisionContract.NOOP)))
                .endsWith(DecisionContract.WAF_MESSAGE, "tenant");
    }

    /** The names of every {@code register-var-names} line, by file (relative path). */
    static Map<String, List<String>> registerLines() throws IOException {
        Map<String, List<String>> found = new LinkedHashMap<>();
        for (Path root : SHIPPED) {
            List<Path> files;
            try (Stream<Path> walk = Files.walk(root)) {
                files = walk.filter(Files::isRegularFile).sorted().toList();
            }
            for (Path file : files) {
                String text;
                try {
                    text = Files.readString(file);
                }
                catch (java.nio.charset.MalformedInputException binary) {
                    continue;
                }
                Matcher line = REGISTER_LINE.matcher(text);
                while (line.find()) {
                    List<String> names = new ArrayList<>(List.of(line.group(1).trim().split("\\s+")));
                    assertThat(found.put(file.toString().replace('\\', '/'), names))
                            .as("one register-var-names line per file: %s", file).isNull();
                }
            }
        }
        return found;
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
