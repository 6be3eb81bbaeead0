package io.spoepolicy.config.policies;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.reactive.function.client.WebClient;

import io.spoepolicy.server.SpoeServer;
import io.spoepolicy.testkit.AgentFrame;
import io.spoepolicy.testkit.MessageBuilder;
import io.spoepolicy.testkit.SpopTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runtime reload through a running agent: file changes picked up by the watcher, the Actuator
 * operation, rejection of bad configurations with the old rules still answering.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spoe.server.port=0",
        "spring.config.additional-location=file:target/policy-reload-test/policies.yml",
        "spoe.policies.reload.watch=true",
        "spoe.policies.reload.poll-interval=200ms",
        "management.server.port=0",
        "management.endpoint.policies.access=unrestricted",
        "management.endpoints.web.exposure.include=health,policies"})
class PolicyReloadTest {

    static final Path DIR = Path.of("target/policy-reload-test");
    static final Path CONFIG = DIR.resolve("policies.yml");
    static final Path DENY_LIST = DIR.resolve("deny.txt");

    static {
        // Before the context starts: the additional config location must exist.
        try {
            Files.createDirectories(DIR);
            Files.writeString(DENY_LIST, "# empty at first\n");
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        write(CONFIG, """
                spoe:
                  policies:
                    ip-access:
                      enabled: true
                      deny: [192.0.2.0/24]
                      deny-files: [%s]
                """.formatted(DENY_LIST.toAbsolutePath()));
    }

    @Autowired
    SpoeServer server;

    @Autowired
    ActivePolicies active;

    // Actuator listens on the management port (management.server.port).
    @Value("${local.management.port}")
    int httpPort;

    @Test
    void reloadsValidConfigurationAndRejectsBadOneKeepingTheOldRules() throws Exception {
        try (SpopTestClient client = SpopTestClient.connect("127.0.0.1", server.address().getPort())) {
            client.handshake();
            assertThat(action(client, "192.0.2.1")).isEqualTo("deny");
            assertThat(action(client, "198.51.100.1")).isEqualTo("allow");
            long start = active.current().number();

            // 1. The configuration file changes: the watcher applies it.
            write(CONFIG, """
                    spoe:
                      policies:
                        ip-access:
                          enabled: true
                          deny: [198.51.100.0/24]
                          deny-files: [%s]
                    """.formatted(DENY_LIST.toAbsolutePath()));
            await().atMost(Duration.ofSeconds(20)).until(() -> action(client, "198.51.100.1").equals("deny"));
            assertThat(action(client, "192.0.2.1")).isEqualTo("allow");
            assertThat(active.current().trigger()).isEqualTo("file-change");
            assertThat(active.current().number()).isEqualTo(start + 1);

            // 2. A network list file the policy reads changes: reloaded too.
            Files.writeString(DENY_LIST, "203.0.113.0/24\n");
            await().atMost(Duration.ofSeconds(20)).until(() -> action(client, "203.0.113.9").equals("deny"));

            // 3. The Actuator operation reloads on demand.
            Map<String, Object> applied = post();
            assertThat(applied).containsEntry("applied", true).containsEntry("trigger", "actuator");
            assertThat(((Number) applied.get("generation")).longValue()).isEqualTo(active.current().number());
            long good = active.current().number();

            // 4. A bad configuration is rejected with the property at fault; the old rules keep working.
            write(CONFIG, """
                    spoe:
                      policies:
                        ip-access:
                          enabled: true
                          deny: [198.51.100.0/24, 10.0.0.300]
                    """);
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                ReloadResult last = lastReload();
                return last != null && !last.applied() && "file-change".equals(last.trigger());
            });
            assertThat(lastReload().reason()).startsWith("spoe.policies.ip-access.deny[1]:").contains("10.0.0.300");
            Map<String, Object> rejected = post();
            assertThat(rejected).containsEntry("applied", false).containsEntry("generation", (int) good);
            assertThat((String) rejected.get("reason")).startsWith("spoe.policies.ip-access.deny[1]:");
            assertThat(active.current().number()).isEqualTo(good);
            assertThat(action(client, "198.51.100.1")).isEqualTo("deny");
            assertThat(action(client, "203.0.113.9")).isEqualTo("deny");
            assertThat(action(client, "192.0.2.1")).isEqualTo("allow");

            // 5. Wrong values and broken YAML are rejected the same way.
            write(CONFIG, """
                    spoe:
                      policies:
                        ip-access:
                          enabled: true
                          deny-status: 1000
                    """);
            assertThat((String) post().get("reason")).startsWith("spoe.policies.ip-access.deny-status: must be less");
            write(CONFIG, "spoe:\n  policies: [unclosed\n");
            assertThat(post()).containsEntry("applied", false);
            assertThat(action(client, "198.51.100.1")).isEqualTo("deny");

            // 6. Detect-only from configuration: never denies, reports what it would have done.
            write(CONFIG, """
                    spoe:
                      policies:
                        ip-access:
                          enabled: true
                          mode: detect-only
                          deny: [198.51.100.0/24]
                    """);
            assertThat(post()).containsEntry("applied", true);
            AgentFrame.Ack detected = client.request(MessageBuilder.checkRequest().ip("198.51.100.1").build());
            assertThat(detected.text("action")).isEqualTo("allow");
            assertThat(detected.text("detect_policy")).isEqualTo("ip-access");
            assertThat(detected.text("detect_reason")).isEqualTo("ip-denied");
            assertThat(detected.text("detect_status")).isEqualTo("403");

            // The read operation shows the chains in use. The file watcher may apply the same file
            // once more meanwhile, so the generation shown lies between the ones seen around the call.
            long before = active.current().number();
            Map<String, Object> report = WebClient.create("http://127.0.0.1:" + httpPort).get()
                    .uri("/actuator/policies").retrieve()
                    .bodyToMono(new ParameterizedTypeReference<Map<String, Object>>() { }).block(Duration.ofSeconds(20));
            long after = active.current().number();
            assertThat(report).containsKey("chains");
            assertThat(((Number) report.get("generation")).longValue()).isBetween(before, after);
        }
    }

    private ReloadResult lastReload() {
        return reloader.lastResult();
    }

    @Autowired
    PolicyReloader reloader;

    private Map<String, Object> post() {
        return WebClient.create("http://127.0.0.1:" + httpPort).post().uri("/actuator/policies").retrieve()
                .bodyToMono(new ParameterizedTypeReference<Map<String, Object>>() { }).block(Duration.ofSeconds(30));
    }

    private static String action(SpopTestClient client, String ip) throws IOException {
        return client.request(MessageBuilder.checkRequest().ip(ip).build()).text("action");
    }

    private static void write(Path file, String content) {
        try {
            // Write then move, as editors and ConfigMap updates do, so the watcher never sees half a file.
            Path temp = Files.writeString(file.resolveSibling(file.getFileName() + ".tmp"), content);
            Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
