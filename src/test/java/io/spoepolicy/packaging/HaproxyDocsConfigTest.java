package io.spoepolicy.packaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import io.spoepolicy.policy.DecisionContract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Every HAProxy configuration under {@code docs/haproxy/} passes {@code haproxy -c} with the
 * installed HAProxy, and every SPOE file they use registers the agent's decision variables.
 *
 * <p>A file that starts with {@code # haproxy-requires: X.Y} needs a newer HAProxy than the one
 * installed here (2.6): it is checked after rewriting its only 3.1-specific keyword
 * ({@code mode spop} → {@code mode tcp}, which 3.1 converts back), so everything else in it is
 * still validated. Without HAProxy the checks are skipped, unless {@code spoe.e2e.required}.
 */
@Tag("packaging")
class HaproxyDocsConfigTest {

    static final Path DOCS = Path.of("docs", "haproxy").toAbsolutePath();
    private static final Pattern REQUIRES = Pattern.compile("(?m)^# haproxy-requires: ([0-9]+)\\.([0-9]+)");
    private static final Pattern FRAGMENT = Pattern.compile("(?m)^# haproxy-fragment: (\\S+)");
    private static final Pattern SPOE_FILTER = Pattern.compile("(?m)^\\s*filter spoe .*\\bconfig (\\S+)");

    @TempDir
    Path scratch;

    @TestFactory
    Stream<DynamicTest> everyConfigPassesHaproxyCheck() throws IOException {
        List<Path> configs = files(".cfg");
        assertThat(configs).as("HAProxy configurations in " + DOCS).isNotEmpty();
        return configs.stream().map(cfg -> DynamicTest.dynamicTest(cfg.getFileName().toString(), () -> check(cfg)));
    }

    @TestFactory
    Stream<DynamicTest> everySpoeFileRegistersTheDecisionVariables() throws IOException {
        List<Path> spoeFiles = new ArrayList<>();
        for (Path cfg : files(".cfg")) {
            Matcher filter = SPOE_FILTER.matcher(Files.readString(cfg));
            while (filter.find()) {
                Path spoe = DOCS.resolve(filter.group(1));
                assertThat(spoe).as(cfg.getFileName() + " uses " + filter.group(1)).isRegularFile();
                if (!spoeFiles.contains(spoe)) {
                    spoeFiles.add(spoe);
                }
            }
        }
        return spoeFiles.stream().map(spoe -> DynamicTest.dynamicTest(spoe.getFileName().toString(), () -> {
            String text = Files.readString(spoe);
            Matcher registered = Pattern.compile("(?m)^\\s*register-var-names (.+)$").matcher(text);
            assertThat(registered.find()).as("register-var-names in " + spoe).isTrue();
            assertThat(List.of(registered.group(1).trim().split("\\s+"))).contains(DecisionContract.ACTION,
                    DecisionContract.STATUS, DecisionContract.REASON, DecisionContract.POLICY,
                    DecisionContract.AGENT_ERROR);
            assertThat(text).contains("messages check-request").contains("spoe-message check-request");
        }));
    }

    /**
     * The snippet the chart's NOTES.txt prints for a release, completed with the parts it leaves
     * to the user (global, defaults, a bind line, the application backend), passes haproxy -c.
     */
    @TestFactory
    Stream<DynamicTest> chartNotesPrintAWorkingHaproxySnippet() {
        return Stream.of(new String[] {}, new String[] {"autoscaling.enabled", "true", "autoscaling.maxReplicas", "7"})
                .map(sets -> DynamicTest.dynamicTest(sets.length == 0 ? "default values" : "with HPA", () -> {
                    String notes = HelmChart.repository().notes(sets);
                    int cfgStart = notes.indexOf("  # haproxy.cfg\n");
                    int spoeStart = notes.indexOf("  # spoe-policy.conf\n");
                    assertThat(cfgStart).as(notes).isNotNegative();
                    assertThat(spoeStart).as(notes).isGreaterThan(cfgStart);
                    String cfgPart = notes.substring(cfgStart, spoeStart);
                    String spoePart = notes.substring(spoeStart);
                    String slots = sets.length == 0 ? "2" : "7";
                    assertThat(cfgPart).contains("server-template agent " + slots
                            + " _spop._tcp.edge-spoe-policy-service-spop.policy.svc.cluster.local");

                    Path spoe = scratch.resolve("spoe-policy.conf");
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
                    haproxyCheck(file);
                }));
    }

    private void check(Path cfg) throws Exception {
        String text = Files.readString(cfg);
        Matcher requires = REQUIRES.matcher(text);
        Path checked = cfg;
        Optional<String> haproxy = Haproxy.executable();
        if (haproxy.isPresent() && requires.find() && Haproxy.version(haproxy.get()).compareTo(
                new Haproxy.Version(Integer.parseInt(requires.group(1)), Integer.parseInt(requires.group(2)))) < 0) {
            checked = downgraded(cfg);
        }
        Matcher fragment = FRAGMENT.matcher(text);
        if (fragment.find()) {
            // Sections loaded beside a generated configuration (an ingress controller's): check
            // them behind a stand-in for the generated frontend that uses the named SPOE file.
            Path spoe = DOCS.resolve(fragment.group(1));
            assertThat(spoe).isRegularFile();
            Path frontend = scratch.resolve("generated-frontend.cfg");
            Files.writeString(frontend, """
                    global
                        log stdout format raw local0 info
                    defaults
                        mode http
                        timeout connect 5s
                        timeout client 30s
                        timeout server 30s
                    frontend fe_generated
                        bind 127.0.0.1:8000
                        filter spoe engine spoe-policy config %s
                        http-request deny deny_status 403 if { var(txn.policy.action) -m str deny }
                        http-request return status 200
                    """.formatted(spoe));
            haproxyCheck(frontend, checked);
            return;
        }
        haproxyCheck(checked);
    }

    private static void haproxyCheck(Path... files) throws Exception {
        Optional<String> haproxy = Haproxy.executable();
        if (Boolean.getBoolean("spoe.e2e.required")) {
            assertThat(haproxy).as("haproxy on PATH (spoe.e2e.required)").isPresent();
        }
        assumeThat(haproxy).as("haproxy on PATH").isPresent();
        List<String> command = new ArrayList<>(List.of(haproxy.get(), "-c"));
        for (Path file : files) {
            command.add("-f");
            command.add(file.toString());
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("%s%n%s", command, output).isZero();
        assertThat(output).contains("Configuration file is valid");
    }

    /** Copies docs/haproxy with {@code mode spop} written as 2.x's {@code mode tcp}. */
    private Path downgraded(Path cfg) throws IOException {
        try (Stream<Path> files = Files.list(DOCS)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(file)) {
                    String text = Files.readString(file).replaceAll("(?m)^(\\s*)mode spop\\b", "$1mode tcp");
                    Files.writeString(scratch.resolve(file.getFileName()), text);
                }
            }
        }
        return scratch.resolve(cfg.getFileName());
    }

    private static List<Path> files(String suffix) throws IOException {
        try (Stream<Path> files = Files.list(DOCS)) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }
}
