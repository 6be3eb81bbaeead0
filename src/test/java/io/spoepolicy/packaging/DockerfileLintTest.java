package io.spoepolicy.packaging;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Lints the Dockerfile with dockerfilelint (npm) when it is installed: on PATH, in
 * {@code node_modules/.bin}, or named by {@code DOCKERFILELINT}. Skipped without it unless
 * {@code -Dspoe.dockerfilelint.required=true}.
 *
 * <p>dockerfilelint reports "Base Image Missing Tag" for {@code FROM scratch} and for a stage chosen
 * by a build argument ({@code FROM ${JAR_STAGE}}); neither can carry a tag, so exactly those are
 * tolerated, and any other finding fails.
 */
@Tag("packaging")
class DockerfileLintTest {

    @Test
    void dockerfileLintsClean() throws Exception {
        Optional<Path> linter = linter();
        if (Boolean.getBoolean("spoe.dockerfilelint.required")) {
            assertThat(linter).as("dockerfilelint installed (spoe.dockerfilelint.required)").isPresent();
        }
        assumeThat(linter).as("dockerfilelint installed").isPresent();

        Process process = new ProcessBuilder(linter.get().toString(), "-o", "json", Dockerfile.PATH.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        JsonNode report = JsonMapper.builder().build().readTree(output);

        List<String> findings = new ArrayList<>();
        for (JsonNode file : report.path("files")) {
            for (JsonNode issue : file.path("issues")) {
                String content = issue.path("content").asString();
                boolean untaggable = issue.path("title").asString().equals("Base Image Missing Tag")
                        && (content.startsWith("FROM scratch ") || content.startsWith("FROM ${"));
                if (!untaggable) {
                    findings.add("line " + issue.path("line").asString() + ": " + issue.path("title").asString()
                            + " (" + content + ")");
                }
            }
        }
        assertThat(findings).as(output).isEmpty();
        assertThat(report.path("files")).as("dockerfilelint read the file: " + output).isNotEmpty();
    }

    private static Optional<Path> linter() {
        List<Path> candidates = new ArrayList<>();
        Map<String, String> env = System.getenv();
        if (env.containsKey("DOCKERFILELINT")) {
            candidates.add(Path.of(env.get("DOCKERFILELINT")));
        }
        candidates.add(Path.of("node_modules", ".bin", "dockerfilelint").toAbsolutePath());
        for (String dir : env.getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty()) {
                candidates.add(Path.of(dir, "dockerfilelint"));
            }
        }
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }
}
