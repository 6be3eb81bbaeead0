package io.spoepolicy.policy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import io.spoepolicy.server.SpoeServer;
import io.spoepolicy.testkit.AgentFrame;
import io.spoepolicy.testkit.MessageBuilder;
import io.spoepolicy.testkit.SpopTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decision contract for allows that carry a reason, through the running service over a real
 * SPOP socket: the reason reaches HAProxy, a detect-only policy reports {@code detect_*}, and a
 * later deny's reason replaces the allow's.
 */
@SpringBootTest(properties = {"spoe.server.port=0", "server.port=0", "management.server.port=0",
        "spoe.policies.order=ip-access,reasoned-allow,would-deny,late-deny",
        "spoe.policies.would-deny.mode=detect-only"})
@Import(AllowReasonOverSpopTest.Policies.class)
class AllowReasonOverSpopTest {

    @Autowired
    SpoeServer server;

    @Test
    void allowReasonsAndDetectOnlyReportsReachHaproxy() throws Exception {
        try (SpopTestClient client = SpopTestClient.connect("127.0.0.1", server.address().getPort())) {
            client.handshake();

            AgentFrame.Ack plain = client.request(request("none"));
            assertThat(plain.text("action")).isEqualTo("allow");
            assertThat(plain.variable("reason")).isNull();

            AgentFrame.Ack reasoned = client.request(request("allow-reason"));
            assertThat(reasoned.text("action")).isEqualTo("allow");
            assertThat(reasoned.text("reason")).isEqualTo("looks-odd");
            assertThat(reasoned.variable("status")).isNull();
            assertThat(reasoned.variable("policy")).isNull();

            AgentFrame.Ack detected = client.request(request("detect"));
            assertThat(detected.text("action")).isEqualTo("allow");
            assertThat(detected.text("detect_policy")).isEqualTo("would-deny");
            assertThat(detected.text("detect_reason")).isEqualTo("would-block");
            assertThat(detected.text("detect_status")).isEqualTo("451");
            assertThat(detected.variable("status")).isNull();

            AgentFrame.Ack both = client.request(request("allow-reason,detect"));
            assertThat(both.text("action")).isEqualTo("allow");
            assertThat(both.text("reason")).isEqualTo("looks-odd");
            assertThat(both.text("detect_reason")).isEqualTo("would-block");

            AgentFrame.Ack denied = client.request(request("allow-reason,deny"));
            assertThat(denied.text("action")).isEqualTo("deny");
            assertThat(denied.text("reason")).isEqualTo("late-denied");
            assertThat(denied.text("status")).isEqualTo("403");
            assertThat(denied.text("policy")).isEqualTo("late-deny");
        }
    }

    private static io.spoepolicy.protocol.SpopMessage request(String cases) {
        return MessageBuilder.checkRequest().ip("10.1.2.3").header("x-case", cases).build();
    }

    /** Inline test policies that act on the {@code x-case} header. */
    @TestConfiguration(proxyBeanMethods = false)
    static class Policies {

        @Bean
        SyncSpoePolicy reasonedAllow() {
            return new CasePolicy("reasoned-allow", "allow-reason", new Decision(Verdict.ALLOW, 0, "looks-odd", Map.of()));
        }

        @Bean
        SyncSpoePolicy wouldDeny() {
            return new CasePolicy("would-deny", "detect", Decision.deny(451, "would-block"));
        }

        @Bean
        SyncSpoePolicy lateDeny() {
            return new CasePolicy("late-deny", "deny", Decision.deny(403, "late-denied"));
        }
    }

    private record CasePolicy(String name, String trigger, Decision decision) implements SyncSpoePolicy {

        @Override
        public boolean inline() {
            return true;
        }

        @Override
        public Decision decide(PolicyRequest request) {
            String cases = request.headers().first("x-case");
            return cases != null && java.util.List.of(cases.split(",")).contains(trigger) ? decision : Decision.allow();
        }
    }
}
