package io.spoepolicy.packaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import io.spoepolicy.policy.DecisionContract;
import io.spoepolicy.testsupport.HaproxyBinary;
import io.spoepolicy.testsupport.RequiresHaproxy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HAProxy side of the Kubernetes examples. ({@code DocsConfigValidityTest} runs haproxy -c on
 * every file in docs/haproxy.) Here: every SPOE file the configurations use registers the agent's
 * decision variables, and the snippet the chart's NOTES.txt prints for a release is valid HAProxy
 * configuration.
 */
@Tag("packaging")
class KubernetesHaproxyExamplesTest {

    static final Path DOCS = Path.of("docs", "haproxy").toAbsolutePath();
    private static final Pattern SPOE_FILE = Pattern.compile(
            "(?m)^\\s*filter spoe .*\\bconfig (\\S+)|^# haproxy-fragment: (\\S+)");

    @TempDir
    Path scratch;

    @TestFactory
    Stream<DynamicTest> everySpoeFileRegistersTheDecisionVariables() throws IOException {
        List<Path> spoeFiles = new ArrayList<>();
        try (Stream<Path> files = Files.list(DOCS)) {
            for (Path cfg : files.filter(f -> f.toString().endsWith(".cfg")).sorted().toList()) {
                Matcher uses = SPOE_FILE.matcher(Files.readString(cfg));
                while (uses.find()) {
                    String name = uses.group(1) != null ? uses.group(1) : uses.group(2);
                    Path spoe = DOCS.resolve(name);
                    assertThat(spoe).as(cfg.getFileName() + " uses " + name).isRegularFile();
                    if (!spoeFiles.contains(spoe)) {
                        spoeFiles.add(spoe);
                    }
                }
            }
        }
        assertThat(spoeFiles).isNotEmpty();
        return spoeFiles.stream().map(spoe -> DynamicTest.dynamicTest(spoe.getFileName().toString(), () -> {
            String text = Files.readString(spoe);
            Matcher registered = Pattern.compile("(?m)^\\s*register-var-names (.+)$").matcher(text);
            assertThat(registered.find()).as("register-var-names in " + spoe).isTrue();
            assertThat(List.of(registered.group(1).trim().split("\\s+"))).contains(DecisionContract.ACTION,
                    DecisionContract.STATUS, DecisionContract.REASON, DecisionContract.POLICY,
                    DecisionContract.AGENT_ERROR);
            assertThat(text).contains("option var-prefix policy").contains("messages check-request")
                    .contains("spoe-message check-request");
        }));
    }

    /**
     * The NOTES snippet, completed with what it leaves to the user (global, defaults, a bind line,
     * the application backend), passes haproxy -c; its server slots follow replicas or the HPA.
     */
    @TestFactory
    @RequiresHaproxy
    Stream<DynamicTest> chartNotesPrintAWorkingHaproxySnippet() {
        Map<String, String[]> variants = new LinkedHashMap<>();
        variants.put("2", new String[] {});
        variants.put("7", new String[] {"autoscaling.enabled", "true", "autoscaling.maxReplicas", "7"});
        variants.put("64", new String[] {"kind", "DaemonSet"});
        return variants.entrySet().stream()
                .map(variant -> DynamicTest.dynamicTest(variant.getKey() + " server slots", () -> {
                    String[] sets = variant.getValue();
                    String slots = variant.getKey();
                    String notes = HelmChart.repository().notes(sets);
                    int cfgStart = notes.indexOf("  # haproxy.cfg\n");
                    int spoeStart = notes.indexOf("  # spoe-policy.conf\n");
                    assertThat(cfgStart).as(notes).isNotNegative();
                    assertThat(spoeStart).as(notes).isGreaterThan(cfgStart);
                    String cfgPart = notes.substring(cfgStart, spoeStart);
                    String spoePart = notes.substring(spoeStart);
                    assertThat(cfgPart).contains("server-template agent " + slots
                            + " _spop._tcp.edge-spoe-policy-service-spop.policy.svc.cluster.local");

                    Path spoe = scratch.resolve("spoe-policy-" + slots + ".conf");
                    Files.writeString(spoe, spoePart);
                    String cfg = "global\n    log stdout format raw local0 info\n"
                            + "defaults\n    mode http\n    log global\n    timeout connect 5s\n"
                            + "    timeout client 30s\n    timeout server 30s\n"
                            + cfgPart.replace("/usr/local/etc/haproxy/spoe-policy.conf", spoe.toString())
                                    .replace("  frontend fe_http\n", "  frontend fe_http\n    bind 127.0.0.1:8000\n"
                                            + "    default_backend be_app\n")
                            + "backend be_app\n    http-request return status 200\n";
                    Path file = scratch.resolve("notes-" + slots + ".cfg");
                    Files.writeString(file, cfg);

                    HaproxyBinary.CheckResult result = HaproxyBinary.check(scratch, List.of(file));
                    assertThat(result.valid()).as("%s%n%s", cfg, result.output()).isTrue();
                    assertThat(result.output()).doesNotContain("[WARNING]");
                }));
    }
}
