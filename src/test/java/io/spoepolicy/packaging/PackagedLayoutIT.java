package io.spoepolicy.packaging;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.spoepolicy.testkit.AgentFrame;
import io.spoepolicy.testkit.MessageBuilder;
import io.spoepolicy.testkit.SpopTestClient;
import io.spoepolicy.testsupport.FileTrees;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The container image without Docker: takes the jar {@code ./mvnw package} built, runs the
 * Dockerfile's own extract command on it, lays the layers out as the image's COPY instructions do,
 * mounts the chart's rendered application.yml at {@code config/} as the pod does, and starts the
 * Dockerfile's ENTRYPOINT with its JAVA_TOOL_OPTIONS. Then checks SPOP, the probes and the scrape
 * on the chart's ports, and that SIGTERM ends the process within the pod's grace period.
 *
 * <p>Runs in {@code ./mvnw verify} (failsafe, after {@code package}); exclude with
 * {@code -DexcludedGroups=packaging}.
 */
@Tag("packaging")
class PackagedLayoutIT {

    private static final Duration STARTUP = Duration.ofSeconds(180);

    @TempDir
    Path work;

    private Process process;
    private Path log;

    @AfterEach
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void extractedLayoutStartsAsTheEntrypointDoesAndServesSpopAndHealth() throws Exception {
        Dockerfile dockerfile = Dockerfile.repository();
        Path application = imageLayout(dockerfile);

        // The pod's view: the chart's ConfigMap at /application/config/application.yml.
        Manifests manifests = HelmChart.repository().render().manifests();
        Manifests.Node configMap = manifests.get("ConfigMap");
        Files.createDirectories(application.resolve("config"));
        Files.writeString(application.resolve("config/application.yml"),
                String.valueOf(configMap.map("data").get("application.yml")));
        int grace = manifests.get("Deployment").integer("spec.template.spec.terminationGracePeriodSeconds");
        int preStop = manifests.get("Deployment").integer("spec.template.spec.containers[0].lifecycle.preStop.sleep.seconds");

        // The machine may be loaded (shared CI cores): startup is bounded generously.
        // Free loopback ports replace the chart's fixed ones (environment beats config files).
        int spop = freePort();
        int http = freePort();
        int management = freePort();
        List<String> command = new ArrayList<>(dockerfile.entrypoint());
        command.set(0, javaExecutable());
        ProcessBuilder builder = new ProcessBuilder(command).directory(application.toFile());
        Map<String, String> env = builder.environment();
        env.put("JAVA_TOOL_OPTIONS", dockerfile.env("final", "JAVA_TOOL_OPTIONS").orElseThrow());
        env.put("SPOE_SERVER_HOST", "127.0.0.1");
        env.put("SPOE_SERVER_PORT", String.valueOf(spop));
        env.put("SERVER_ADDRESS", "127.0.0.1");
        env.put("SERVER_PORT", String.valueOf(http));
        env.put("MANAGEMENT_SERVER_ADDRESS", "127.0.0.1");
        env.put("MANAGEMENT_SERVER_PORT", String.valueOf(management));
        log = work.resolve("service.log");
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        process = builder.start();

        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        String base = "http://127.0.0.1:" + management;
        await("readiness of the extracted application").atMost(STARTUP).pollInterval(Duration.ofMillis(250))
                .failFast("process exited", () -> !process.isAlive())
                .until(() -> status(client, base + ChartInvariants.READINESS) == 200);

        assertThat(get(client, base + ChartInvariants.LIVENESS).body()).contains("\"UP\"");
        HttpResponse<String> scrape = get(client, base + ChartInvariants.PROMETHEUS);
        assertThat(scrape.statusCode()).as(tail()).isEqualTo(200);
        assertThat(scrape.body()).contains("jvm_memory_max_bytes");

        try (SpopTestClient spopClient = SpopTestClient.connect("127.0.0.1", spop)) {
            assertThat(spopClient.handshake().version()).isEqualTo("2.0");
            AgentFrame.Ack allowed = spopClient.request(MessageBuilder.checkRequest().ip("10.1.2.3").path("/").build());
            assertThat(allowed.text("action")).isEqualTo("allow");
            AgentFrame.Ack denied = spopClient.request(MessageBuilder.checkRequest().ip("127.0.0.2").build());
            assertThat(denied.text("action")).isEqualTo("deny");
        }
        assertThat(Files.readString(log)).as("the image's JVM flags were picked up")
                .contains("Picked up JAVA_TOOL_OPTIONS: " + dockerfile.env("final", "JAVA_TOOL_OPTIONS").orElseThrow());

        // SIGTERM, as the kubelet sends after preStop: the drain must end inside the grace period.
        long stopStarted = System.nanoTime();
        process.destroy();
        boolean exited = process.waitFor(grace - preStop, TimeUnit.SECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - stopStarted);
        assertThat(exited).as("exited within terminationGracePeriodSeconds - preStop = %ds%n%s", grace - preStop, tail())
                .isTrue();
        assertThat(took).as("the drain window ran first").isGreaterThanOrEqualTo(Duration.ofSeconds(3));
    }

    /** The Dockerfile's extract command on the packaged jar, then its layer COPYs into one directory. */
    private Path imageLayout(Dockerfile dockerfile) throws Exception {
        Path jar = Path.of(System.getProperty("spoe.packaged.jar", "target/missing.jar"));
        assertThat(jar).as("the jar ./mvnw package builds (set spoe.packaged.jar)").isRegularFile();
        Path builderDir = Files.createDirectories(work.resolve("builder"));
        Files.copy(jar, builderDir.resolve("application.jar"));

        List<String> extract = new ArrayList<>(dockerfile.extractCommand());
        extract.set(0, javaExecutable());
        Process extraction = new ProcessBuilder(extract).directory(builderDir.toFile())
                .redirectErrorStream(true).redirectOutput(work.resolve("extract.log").toFile()).start();
        assertThat(extraction.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(extraction.exitValue()).as(Files.readString(work.resolve("extract.log"))).isZero();

        Path application = Files.createDirectories(work.resolve("application"));
        for (String source : dockerfile.layerCopies()) {
            Path layer = builderDir.resolve(Path.of("/builder").relativize(Path.of(source)));
            assertThat(layer).as("COPY source " + source + " exists (Docker fails on a missing one)").isDirectory();
            FileTrees.copyInto(layer, application);
        }
        assertThat(application.resolve("application.jar")).isRegularFile();
        assertThat(application.resolve("lib")).isDirectory();
        return application;
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static int status(HttpClient client, String url) {
        try {
            return get(client, url).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static HttpResponse<String> get(HttpClient client, String url) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
