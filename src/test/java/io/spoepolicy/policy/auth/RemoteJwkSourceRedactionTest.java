package io.spoepolicy.policy.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.spoepolicy.policy.resilience.Guard;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.web.reactive.function.client.WebClient;

/** A JWKS URL may carry credentials or a token: fetch failures must not print them. */
@ExtendWith(OutputCaptureExtension.class)
class RemoteJwkSourceRedactionTest {

    @Test
    void redactedKeepsHostPortAndPathOnly() {
        assertThat(RemoteJwkSource.redacted(URI.create("https://svc:p4ss@idp.test:8443/keys?access_token=t0k")))
                .isEqualTo("https://***@idp.test:8443/keys?***");
        assertThat(RemoteJwkSource.redacted(URI.create("http://idp.test/.well-known/jwks.json")))
                .isEqualTo("http://idp.test/.well-known/jwks.json");
    }

    @Test
    void aFailingFetchLogsNeitherTheUserInfoNorTheQuery(CapturedOutput output) throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        URI uri = URI.create("http://svc-account:Sup3rS3cret@127.0.0.1:" + closedPort + "/jwks?access_token=T0KEN-VALUE");
        Guard guard = new Guard(CircuitBreaker.ofDefaults("jwks-redaction-test"),
                TimeLimiter.of(TimeLimiterConfig.custom().timeoutDuration(Duration.ofSeconds(5)).build()));
        RemoteJwkSource source = new RemoteJwkSource(uri, WebClient.create(), guard, Duration.ofMinutes(5),
                Duration.ofSeconds(10), Duration.ofSeconds(1), System::nanoTime);

        source.refresh().onErrorResume(error -> reactor.core.publisher.Mono.empty()).subscribe();

        // This source's line, known by its port: the output is the whole JVM's, and the cached
        // contexts of other test classes refresh their own JWKS in the background and may log the
        // same message about their (by then stopped) identity providers.
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> output.getAll().lines()
                .anyMatch(line -> line.contains("Cannot fetch JWKS from") && line.contains(":" + closedPort + "/jwks")));
        assertThat(output.getAll()).contains("http://***@127.0.0.1:" + closedPort + "/jwks?***")
                .doesNotContain("Sup3rS3cret").doesNotContain("svc-account").doesNotContain("T0KEN-VALUE");
    }
}
