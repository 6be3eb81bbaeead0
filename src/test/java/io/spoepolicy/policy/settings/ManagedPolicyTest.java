package io.spoepolicy.policy.settings;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import io.spoepolicy.policy.Decision;
import io.spoepolicy.policy.PolicyRequest;
import io.spoepolicy.policy.SpoePolicy;
import io.spoepolicy.policy.SyncSpoePolicy;
import io.spoepolicy.testkit.AgentFrame;
import io.spoepolicy.testkit.MessageBuilder;
import io.spoepolicy.testkit.PolicyTester;

import static org.assertj.core.api.Assertions.assertThat;

class ManagedPolicyTest {

    /** Denies everything, counts calls. */
    static final class DenyAll implements SyncSpoePolicy {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public String name() {
            return "deny-all";
        }

        @Override
        public boolean inline() {
            return true;
        }

        @Override
        public Decision decide(PolicyRequest request) {
            calls.incrementAndGet();
            return Decision.deny(418, "teapot").withVariable("extra", "kept");
        }
    }

    @Test
    void defaultSettingsLeaveThePolicyUnwrapped() {
        DenyAll policy = new DenyAll();
        assertThat(ManagedPolicy.wrap(policy, PolicySettings.DEFAULT)).isSameAs(policy);
    }

    @Test
    void detectOnlyAllowsAndReportsWhatWouldHaveHappened() {
        SpoePolicy managed = ManagedPolicy.wrap(new DenyAll(),
                new PolicySettings(PolicyMode.DETECT_ONLY, List.of(), List.of()));
        assertThat(managed).isInstanceOf(SyncSpoePolicy.class);
        assertThat(((SyncSpoePolicy) managed).inline()).isTrue();
        AgentFrame.Ack ack = PolicyTester.of(managed).send(MessageBuilder.checkRequest().ip("10.0.0.1").build());
        assertThat(ack.text("action")).isEqualTo("allow");
        assertThat(ack.text("status")).isNull();
        assertThat(ack.text("detect_policy")).isEqualTo("deny-all");
        assertThat(ack.text("detect_reason")).isEqualTo("teapot");
        assertThat(ack.text("detect_status")).isEqualTo("418");
        assertThat(ack.text("extra")).isEqualTo("kept");
    }

    @Test
    void detectOnlyBypassDoesNotSkipLaterPolicies() {
        SyncSpoePolicy trusting = new SyncSpoePolicy() {
            @Override
            public String name() {
                return "trusting";
            }

            @Override
            public Decision decide(PolicyRequest request) {
                return Decision.bypass("trusted-network");
            }
        };
        DenyAll later = new DenyAll();
        SpoePolicy managed = ManagedPolicy.wrap(trusting, new PolicySettings(PolicyMode.DETECT_ONLY, List.of(), List.of()));
        AgentFrame.Ack ack = PolicyTester.of(managed, later).send(MessageBuilder.checkRequest().build());
        assertThat(ack.text("action")).isEqualTo("deny");
        assertThat(later.calls).hasValue(1);
    }

    @Test
    void scopesSwitchThePolicyOffOrChangeItsModeMostSpecificWinning() {
        DenyAll policy = new DenyAll();
        SpoePolicy managed = ManagedPolicy.wrap(policy, new PolicySettings(PolicyMode.ENFORCE, List.of(), List.of(
                new PolicySettings.ScopeSettings("public", List.of("public.example.com"), List.of(), false, null),
                new PolicySettings.ScopeSettings("beta", List.of("*.example.com"), List.of(), null, PolicyMode.DETECT_ONLY),
                new PolicySettings.ScopeSettings("beta-admin", List.of("*.example.com"), List.of("/admin"), null,
                        PolicyMode.ENFORCE))));
        PolicyTester tester = PolicyTester.of(managed);
        assertThat(tester.send(request("public.example.com", "/admin")).text("action")).isEqualTo("allow");
        assertThat(policy.calls).hasValue(0);
        AgentFrame.Ack beta = tester.send(request("beta.example.com", "/"));
        assertThat(beta.text("action")).isEqualTo("allow");
        assertThat(beta.text("detect_reason")).isEqualTo("teapot");
        assertThat(tester.send(request("beta.example.com", "/admin/x")).text("action")).isEqualTo("deny");
        assertThat(tester.send(request("elsewhere.org", "/")).text("action")).isEqualTo("deny");
    }

    @Test
    void messagesSettingReplacesThePolicysOwn() {
        SpoePolicy reactive = new SpoePolicy() {
            @Override
            public String name() {
                return "reactive";
            }

            @Override
            public Mono<Decision> evaluate(PolicyRequest request) {
                return Mono.just(Decision.deny("no"));
            }
        };
        SpoePolicy managed = ManagedPolicy.wrap(reactive, new PolicySettings(PolicyMode.ENFORCE,
                List.of("check-client"), List.of()));
        assertThat(managed).isNotInstanceOf(SyncSpoePolicy.class);
        assertThat(managed.messages()).isEqualTo(Set.of("check-client"));
        AgentFrame.Ack ack = PolicyTester.of(managed)
                .send(MessageBuilder.message("check-client").argument("ip", io.spoepolicy.protocol.TypedValue.of("x")).build());
        assertThat(ack.text("action")).isEqualTo("deny");
    }

    private static io.spoepolicy.protocol.SpopMessage request(String host, String path) {
        return MessageBuilder.checkRequest().ip("192.0.2.10").path(path).header("host", host).build();
    }
}
