package io.spoepolicy.policy.ratelimit;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.spoepolicy.policy.Decision;
import io.spoepolicy.policy.PolicyRequest;
import io.spoepolicy.policy.SyncSpoePolicy;
import io.spoepolicy.policy.auth.AuthenticatedPrincipal;
import io.spoepolicy.policy.settings.PolicyConfigurationException;
import io.spoepolicy.testkit.AgentFrame;
import io.spoepolicy.testkit.MessageBuilder;
import io.spoepolicy.testkit.PolicyTester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateLimitPolicyTest {

    @Test
    void deniesWith429AfterTheBurstAndReturnsTheHeaderVariables() {
        RateLimitPolicy policy = policy(3, Duration.ofMinutes(1), RateLimitProperties.KeySource.IP, null, List.of());
        PolicyTester tester = PolicyTester.of(policy);
        for (int remaining = 2; remaining >= 0; remaining--) {
            AgentFrame.Ack ack = tester.send(from("192.0.2.1"));
            assertThat(ack.text("action")).isEqualTo("allow");
            assertThat(ack.text("ratelimit_limit")).isEqualTo("3");
            assertThat(ack.text("ratelimit_remaining")).isEqualTo(Integer.toString(remaining));
            assertThat(ack.text("ratelimit_policy")).isEqualTo("3;w=60");
        }
        AgentFrame.Ack denied = tester.send(from("192.0.2.1"));
        assertThat(denied.text("action")).isEqualTo("deny");
        assertThat(denied.text("status")).isEqualTo("429");
        assertThat(denied.text("reason")).isEqualTo("rate-limited");
        assertThat(denied.text("policy")).isEqualTo("rate-limit");
        assertThat(denied.text("ratelimit_remaining")).isEqualTo("0");
        assertThat(denied.text("ratelimit_retry_after")).isEqualTo("20");
        assertThat(denied.text("ratelimit_reset")).isEqualTo("60");
        assertThat(tester.send(from("192.0.2.2")).text("action")).as("another client").isEqualTo("allow");
    }

    @Test
    void keysByHeaderSubjectOrPathWithIpFallback() {
        PolicyTester byHeader = PolicyTester.of(policy(1, Duration.ofHours(1), RateLimitProperties.KeySource.HEADER,
                "X-Tenant", List.of()));
        assertThat(byHeader.send(from("192.0.2.1", "x-tenant", "a")).text("action")).isEqualTo("allow");
        assertThat(byHeader.send(from("192.0.2.2", "x-tenant", "a")).text("action")).isEqualTo("deny");
        assertThat(byHeader.send(from("192.0.2.2", "x-tenant", "b")).text("action")).isEqualTo("allow");
        assertThat(byHeader.send(from("192.0.2.3")).text("action")).as("no header: per address").isEqualTo("allow");

        SyncSpoePolicy login = new SyncSpoePolicy() {
            @Override
            public String name() {
                return "fake-auth";
            }

            @Override
            public Decision decide(PolicyRequest request) {
                String user = request.headers().first("x-user");
                if (user != null) {
                    request.attribute(AuthenticatedPrincipal.ATTRIBUTE, new AuthenticatedPrincipal(user, Set.of(), "test"));
                }
                return Decision.allow();
            }
        };
        PolicyTester bySubject = PolicyTester.of(login, policy(1, Duration.ofHours(1),
                RateLimitProperties.KeySource.SUBJECT, null, List.of()));
        assertThat(bySubject.send(from("192.0.2.1", "x-user", "alice")).text("action")).isEqualTo("allow");
        assertThat(bySubject.send(from("192.0.2.9", "x-user", "alice")).text("action")).isEqualTo("deny");
        assertThat(bySubject.send(from("192.0.2.9", "x-user", "bob")).text("action")).isEqualTo("allow");

        PolicyTester byPath = PolicyTester.of(policy(100, Duration.ofHours(1), RateLimitProperties.KeySource.IP, null,
                List.of(new RateLimitProperties.Scope("search", List.of(), List.of("/search"), 2L, null, null,
                        RateLimitProperties.KeySource.PATH, null, 503))));
        assertThat(byPath.send(at("192.0.2.1", "/search?q=a")).text("action")).isEqualTo("allow");
        assertThat(byPath.send(at("192.0.2.2", "/search/x")).text("action")).isEqualTo("allow");
        AgentFrame.Ack third = byPath.send(at("192.0.2.3", "/search"));
        assertThat(third.text("status")).as("one bucket for the path, all clients").isEqualTo("503");
        assertThat(byPath.send(at("192.0.2.3", "/other")).text("action")).as("default limit elsewhere").isEqualTo("allow");
    }

    @Test
    void scopedLimitsHaveTheirOwnBuckets() {
        PolicyTester tester = PolicyTester.of(policy(2, Duration.ofHours(1), RateLimitProperties.KeySource.IP, null,
                List.of(new RateLimitProperties.Scope("login", List.of(), List.of("/login"), 1L, null, null, null, null,
                        null))));
        assertThat(tester.send(at("192.0.2.1", "/login")).text("action")).isEqualTo("allow");
        assertThat(tester.send(at("192.0.2.1", "/login")).text("action")).isEqualTo("deny");
        assertThat(tester.send(at("192.0.2.1", "/")).text("action")).isEqualTo("allow");
        assertThat(tester.send(at("192.0.2.1", "/")).text("action")).isEqualTo("allow");
        assertThat(tester.send(at("192.0.2.1", "/")).text("action")).isEqualTo("deny");
    }

    @Test
    void badScopeConfigurationNamesTheProperty() {
        assertThatThrownBy(() -> policy(1, Duration.ofHours(1), RateLimitProperties.KeySource.IP, null,
                List.of(new RateLimitProperties.Scope("x", List.of(), List.of("/a"), null, null, null,
                        RateLimitProperties.KeySource.HEADER, null, null))))
                .isInstanceOf(PolicyConfigurationException.class)
                .hasMessageStartingWith("spoe.policies.rate-limit.scopes[0].header:");
        assertThatThrownBy(() -> policy(1, Duration.ofHours(1), RateLimitProperties.KeySource.IP, null,
                List.of(new RateLimitProperties.Scope("bad name", List.of(), List.of("/a"), null, null, null, null,
                        null, null))))
                .hasMessageStartingWith("spoe.policies.rate-limit.scopes[0].name:");
    }

    static RateLimitPolicy policy(long limit, Duration period, RateLimitProperties.KeySource key, String header,
            List<RateLimitProperties.Scope> scopes) {
        return new RateLimitPolicy(properties(limit, period, key, header, RateLimitProperties.Store.LOCAL, null, scopes),
                new LocalRateLimiter(1000), null);
    }

    static RateLimitProperties properties(long limit, Duration period, RateLimitProperties.KeySource key, String header,
            RateLimitProperties.Store store, RateLimitProperties.Redis redis, List<RateLimitProperties.Scope> scopes) {
        return new RateLimitProperties(true, limit, period, 0, key, header, 429, store,
                new RateLimitProperties.Local(1000), redis != null ? redis : new RateLimitProperties.Redis(
                        "redis://127.0.0.1:6379", "spoe:rl:", Duration.ofMillis(100), Duration.ofSeconds(1),
                        Duration.ofSeconds(1), RateLimitProperties.Fallback.LOCAL, 503, 1), scopes);
    }

    static io.spoepolicy.protocol.SpopMessage from(String ip) {
        return MessageBuilder.checkRequest().ip(ip).build();
    }

    static io.spoepolicy.protocol.SpopMessage from(String ip, String header, String value) {
        return MessageBuilder.checkRequest().ip(ip).header(header, value).build();
    }

    static io.spoepolicy.protocol.SpopMessage at(String ip, String path) {
        return MessageBuilder.checkRequest().ip(ip).path(path).build();
    }
}
