package io.spoepolicy.policy.auth;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.spoepolicy.policy.settings.PolicyConfigurationException;
import io.spoepolicy.testkit.AgentFrame;
import io.spoepolicy.testkit.MessageBuilder;
import io.spoepolicy.testkit.PolicyTester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiKeyPolicyTest {

    @TempDir
    Path dir;

    @Test
    void keysFromConfigurationAndAMountedSecretAuthenticate() throws Exception {
        Path secret = Files.createDirectories(dir.resolve("secret"));
        Files.writeString(secret.resolve("partner"), "partner-key-123\n");
        Files.writeString(secret.resolve("..data"), "ignored");
        String billingHash = HexFormat.of().formatHex(ApiKeyStore.sha256("billing-key-456"));
        ApiKeyPolicy policy = new ApiKeyPolicy(properties(List.of(
                new ApiKeyProperties.Key("billing", billingHash, null, List.of("read", "write")),
                new ApiKeyProperties.Key("ops", null, "ops-key-789", List.of())), List.of(secret.toString()), List.of()));
        assertThat(policy.keyCount()).isEqualTo(3);
        PolicyTester tester = PolicyTester.of(policy);

        AgentFrame.Ack billing = tester.send(withKey("billing-key-456"));
        assertThat(billing.text("action")).isEqualTo("allow");
        assertThat(billing.text("user")).isEqualTo("billing");
        assertThat(billing.text("scopes")).isEqualTo("read write");
        assertThat(tester.send(withKey("partner-key-123")).text("user")).isEqualTo("partner");
        assertThat(tester.send(withKey("ops-key-789")).text("user")).isEqualTo("ops");
    }

    @Test
    void missingWrongAndUnderScopedKeysAreDenied() {
        ApiKeyPolicy policy = new ApiKeyPolicy(properties(List.of(
                new ApiKeyProperties.Key("reader", null, "reader-key", List.of("read"))), List.of(), List.of("read")));
        PolicyTester tester = PolicyTester.of(policy);

        AgentFrame.Ack missing = tester.send(MessageBuilder.checkRequest().build());
        assertThat(missing.text("status")).isEqualTo("401");
        assertThat(missing.text("reason")).isEqualTo("api-key-missing");
        assertThat(missing.text("www_authenticate")).isEqualTo("ApiKey realm=\"spoe\"");

        AgentFrame.Ack wrong = tester.send(withKey("reader-kez"));
        assertThat(wrong.text("status")).isEqualTo("401");
        assertThat(wrong.text("reason")).isEqualTo("api-key-invalid");
        assertThat(wrong.text("user")).isNull();

        ApiKeyPolicy strict = new ApiKeyPolicy(properties(List.of(
                new ApiKeyProperties.Key("reader", null, "reader-key", List.of("read"))), List.of(), List.of("write")));
        AgentFrame.Ack scoped = PolicyTester.of(strict).send(withKey("reader-key"));
        assertThat(scoped.text("status")).isEqualTo("403");
        assertThat(scoped.text("www_authenticate")).contains("error=\"insufficient_scope\"", "scope=\"write\"");
    }

    /** The digest is reused per thread: concurrent callers must never see each other's state. */
    @Test
    void concurrentCallersEachGetTheirOwnKey() throws Exception {
        List<ApiKeyProperties.Key> keys = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            keys.add(new ApiKeyProperties.Key("client-" + i, null, "secret-key-" + i, List.of("s" + i)));
        }
        ApiKeyPolicy policy = new ApiKeyPolicy(properties(keys, List.of(), List.of()));
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Integer>> results = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int client = t;
                results.add(threads.submit(() -> {
                    int wrong = 0;
                    for (int i = 0; i < 5_000; i++) {
                        int which = (client + i) % 5;
                        String presented = which == 4 ? "secret-key-x" : "secret-key-" + which;
                        io.spoepolicy.policy.PolicyRequest request =
                                new io.spoepolicy.policy.PolicyRequest(withKey(presented), "engine");
                        io.spoepolicy.policy.Decision decision = policy.decide(request);
                        boolean right = which == 4 ? "api-key-invalid".equals(decision.reason())
                                : !decision.denied() && AuthenticatedPrincipal.of(request).subject().equals("client-" + which)
                                        && AuthenticatedPrincipal.of(request).scopes().equals(java.util.Set.of("s" + which));
                        wrong += right ? 0 : 1;
                    }
                    return wrong;
                }));
            }
            for (java.util.concurrent.Future<Integer> result : results) {
                assertThat(result.get(60, java.util.concurrent.TimeUnit.SECONDS)).isZero();
            }
        }
        finally {
            threads.shutdownNow();
        }
    }

    @Test
    void unreadableSecretDirectoryNamesTheProperty() {
        assertThatThrownBy(() -> new ApiKeyPolicy(properties(List.of(), List.of(dir.resolve("none").toString()),
                List.of())))
                .isInstanceOf(PolicyConfigurationException.class)
                .hasMessageStartingWith("spoe.policies.api-key.key-directories[0]: cannot read");
    }

    @Test
    void keyNeedsExactlyOneOfHashOrValue() {
        assertThat(new ApiKeyProperties.Key("a", null, "v", List.of()).isHashOrValue()).isTrue();
        assertThat(new ApiKeyProperties.Key("a", "ab", null, List.of()).isHashOrValue()).isFalse();
        assertThat(new ApiKeyProperties.Key("a", null, null, List.of()).isHashOrValue()).isFalse();
        assertThat(new ApiKeyProperties.Key("a", "0".repeat(64), "v", List.of()).isHashOrValue()).isFalse();
    }

    private static ApiKeyProperties properties(List<ApiKeyProperties.Key> keys, List<String> directories,
            List<String> requiredScopes) {
        return new ApiKeyProperties(true, "x-api-key", keys, directories, "spoe", requiredScopes, false, List.of());
    }

    private static io.spoepolicy.protocol.SpopMessage withKey(String key) {
        return MessageBuilder.checkRequest().ip("192.0.2.1").header("x-api-key", key).build();
    }
}
