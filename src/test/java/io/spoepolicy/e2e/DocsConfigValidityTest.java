package io.spoepolicy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.spoepolicy.testsupport.HaproxyBinary;
import io.spoepolicy.testsupport.HaproxyConfig;
import io.spoepolicy.testsupport.QuickStart;
import io.spoepolicy.testsupport.RequiresHaproxy;

/** Every configuration we publish, and every variant the tests render, is accepted by the installed HAProxy. */
@RequiresHaproxy
class DocsConfigValidityTest {

    static Stream<Path> docsConfigs() throws IOException {
        try (Stream<Path> files = Files.list(QuickStartDriftTest.DOCS)) {
            List<Path> configs = files.filter(p -> p.toString().endsWith(".cfg")).sorted().toList();
            assertThat(configs).as("configurations under docs/haproxy").isNotEmpty();
            return configs.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("docsConfigs")
    void docsConfigurationIsValid(Path config, @TempDir Path scratch) {
        // Version-specific files and fragments: see DocsConfigMarkers.
        DocsConfigMarkers check = DocsConfigMarkers.prepare(config, HaproxyBinary.version(), scratch);
        // Run from the repository root, as the docs tell users to.
        HaproxyBinary.CheckResult result = HaproxyBinary.check(Path.of("."), check.files());

        assertThat(result.valid()).as("haproxy -c %s:\n%s", check.files(), result.output()).isTrue();
        String output = check.downgraded()
                ? result.output().lines().filter(line -> !line.contains(DocsConfigMarkers.DOWNGRADE_WARNING))
                        .reduce("", (a, b) -> a + b + "\n")
                : result.output();
        assertThat(output).as("warnings for %s", config).doesNotContain("[WARNING]");
    }

    @Test
    void docsConfigurationIsValidFromAnotherDirectory(@TempDir Path elsewhere) {
        Path config = QuickStartDriftTest.DOCS.resolve("haproxy.cfg").toAbsolutePath();

        HaproxyBinary.CheckResult result = HaproxyBinary.check(elsewhere, List.of(config));

        assertThat(result.valid()).as("spoe.conf must resolve next to haproxy.cfg:\n%s", result.output()).isTrue();
    }

    @Test
    void renderedVariantsAreValid(@TempDir Path directory) throws IOException {
        List<HaproxyConfig> variants = List.of(
                QuickStart.builder().frontendPort(18080).agentPorts(18081).build(),
                QuickStart.builder().frontendPort(18080).agentPorts(18081, 18082).failClosed()
                        .spoeAgentLine("max-frame-size 1024").globalLine("nbthread 1").build());
        int index = 0;
        for (HaproxyConfig variant : variants) {
            Path variantDir = Files.createDirectory(directory.resolve("variant" + index++));
            Path config = variant.writeTo(variantDir);

            HaproxyBinary.CheckResult result = HaproxyBinary.check(variantDir, List.of(config));

            assertThat(result.valid()).as("%s:\n%s", variant.render().get(HaproxyConfig.MAIN_FILE), result.output())
                    .isTrue();
        }
    }

    @Test
    void invalidConfigurationIsRejected(@TempDir Path directory) {
        Path config = QuickStart.builder().frontendLine("http-request no-such-action").build().writeTo(directory);

        HaproxyBinary.CheckResult result = HaproxyBinary.check(directory, List.of(config));

        assertThat(result.valid()).isFalse();
        assertThat(result.output()).contains("no-such-action");
    }
}
