package io.spoepolicy.policy.access;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.spoepolicy.policy.DecisionContract;
import io.spoepolicy.policy.PolicyRequest;
import io.spoepolicy.policy.SyncSpoePolicy;
import io.spoepolicy.policy.Decision;
import io.spoepolicy.policy.Verdict;
import io.spoepolicy.policy.settings.PolicyConfigurationException;
import io.spoepolicy.testkit.AgentFrame;
import io.spoepolicy.testkit.MessageBuilder;
import io.spoepolicy.testkit.PolicyTester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IpAccessPolicyTest {

    @TempDir
    Path dir;

    @Test
    void longestPrefixDecidesAcrossDenyAllowAndTrustedForIpv4AndIpv6() {
        IpAccessPolicy policy = new IpAccessPolicy(properties(
                List.of("10.1.2.3", "2001:db8:1::/48"),        // allow
                List.of("10.0.0.0/8", "2001:db8::/32"),         // deny
                List.of("10.1.0.0/16", "2001:db8:1:2::/64"),    // trusted
                List.of(), List.of(), List.of(), List.of()));
        assertThat(verdict(policy, "10.9.9.9")).isEqualTo("deny");
        assertThat(verdict(policy, "10.1.9.9")).isEqualTo("bypass");
        assertThat(verdict(policy, "10.1.2.3")).isEqualTo("allow");
        assertThat(verdict(policy, "192.0.2.1")).isEqualTo("allow");
        assertThat(verdict(policy, "2001:db8:5::1")).isEqualTo("deny");
        assertThat(verdict(policy, "2001:db8:1:3::1")).isEqualTo("allow");
        assertThat(verdict(policy, "2001:db8:1:2::99")).isEqualTo("bypass");
        assertThat(verdict(policy, "::ffff:10.9.9.9")).isEqualTo("deny");
    }

    @Test
    void trustedNetworksBypassTheLaterPolicies() {
        IpAccessPolicy policy = new IpAccessPolicy(properties(List.of(), List.of(), List.of("127.0.0.0/8"),
                List.of(), List.of(), List.of(), List.of()));
        SyncSpoePolicy denyAll = new SyncSpoePolicy() {
            @Override
            public String name() {
                return "deny-all";
            }

            @Override
            public Decision decide(PolicyRequest request) {
                return Decision.deny(401, "nope");
            }
        };
        PolicyTester tester = PolicyTester.of(policy, denyAll);
        AgentFrame.Ack trusted = tester.send(MessageBuilder.checkRequest().ip("127.0.0.5").build());
        assertThat(trusted.text(DecisionContract.ACTION)).isEqualTo("allow");
        assertThat(trusted.text(DecisionContract.REASON)).isEqualTo("trusted-network");
        assertThat(trusted.text(DecisionContract.POLICY)).isEqualTo("ip-access");
        assertThat(tester.send(MessageBuilder.checkRequest().ip("192.0.2.5").build()).text("status")).isEqualTo("401");
    }

    @Test
    void listsAreReadFromFilesWithComments() throws Exception {
        Path deny = Files.writeString(dir.resolve("deny.txt"), """
                # abusive networks
                198.51.100.0/24   # scanner
                2001:db8:bad::/48

                """);
        Path trusted = Files.writeString(dir.resolve("trusted.txt"), "203.0.113.7\n");
        IpAccessPolicy policy = new IpAccessPolicy(properties(List.of(), List.of(), List.of(),
                List.of(), List.of(deny.toString()), List.of(trusted.toString()), List.of()));
        assertThat(verdict(policy, "198.51.100.77")).isEqualTo("deny");
        assertThat(verdict(policy, "2001:db8:bad::1")).isEqualTo("deny");
        assertThat(verdict(policy, "203.0.113.7")).isEqualTo("bypass");
        assertThat(verdict(policy, "203.0.113.8")).isEqualTo("allow");
        assertThat(policy.files()).containsExactly(deny, trusted);
    }

    @Test
    void badEntriesNameTheirPropertyFileAndLine() throws Exception {
        assertThatThrownBy(() -> new IpAccessPolicy(properties(List.of(), List.of("10.0.0.0/8", "not-an-ip"), List.of(),
                List.of(), List.of(), List.of(), List.of())))
                .isInstanceOf(PolicyConfigurationException.class)
                .hasMessageStartingWith("spoe.policies.ip-access.deny[1]: 'not-an-ip'");
        Path bad = Files.writeString(dir.resolve("bad.txt"), "10.0.0.1\n10.0.0.300\n");
        assertThatThrownBy(() -> new IpAccessPolicy(properties(List.of(), List.of(), List.of(),
                List.of(bad.toString()), List.of(), List.of(), List.of())))
                .hasMessageStartingWith("spoe.policies.ip-access.allow-files[0]: " + bad + " line 2:");
        assertThatThrownBy(() -> new IpAccessPolicy(properties(List.of(), List.of(), List.of(),
                List.of(), List.of(dir.resolve("missing.txt").toString()), List.of(), List.of())))
                .hasMessageStartingWith("spoe.policies.ip-access.deny-files[0]: cannot read");
    }

    @Test
    void scopesReplaceTheTopLevelRulesFieldByField() {
        IpAccessPolicy policy = new IpAccessPolicy(properties(List.of(), List.of("192.0.2.0/24"), List.of(),
                List.of(), List.of(), List.of(), List.of(
                        new IpAccessProperties.Scope("admin", List.of("admin.example.com"), List.of(), List.of("10.0.0.0/8"),
                                null, null, null, null, null, IpAccessProperties.DefaultAction.DENY, 404),
                        new IpAccessProperties.Scope("open", List.of(), List.of("/public"), null, List.of(), null, null,
                                null, null, null, null))));
        assertThat(verdict(policy, "192.0.2.1", "www.example.com", "/")).isEqualTo("deny");
        assertThat(verdict(policy, "192.0.2.1", "www.example.com", "/public/x")).isEqualTo("allow");
        assertThat(verdict(policy, "10.1.1.1", "admin.example.com", "/")).isEqualTo("allow");
        // Inherited deny list, then the scope's default-action and status.
        Decision denied = policy.decide(request("198.51.100.1", "admin.example.com", "/"));
        assertThat(denied.status()).isEqualTo(404);
        assertThat(verdict(policy, "192.0.2.1", "admin.example.com", "/")).isEqualTo("deny");
    }

    @Test
    void missingAddressFollowsTheDefaultAction() {
        IpAccessPolicy allowList = new IpAccessPolicy(new IpAccessProperties(true, List.of("10.0.0.0/8"), List.of(),
                IpAccessProperties.DefaultAction.DENY, 403, "ip"));
        Decision decision = allowList.decide(new PolicyRequest(MessageBuilder.checkRequest().build(), "e"));
        assertThat(decision.reason()).isEqualTo("ip-missing");
        assertThat(verdict(allowList, "10.2.3.4")).isEqualTo("allow");
        assertThat(verdict(allowList, "11.2.3.4")).isEqualTo("deny");
    }

    private static IpAccessProperties properties(List<String> allow, List<String> deny, List<String> trusted,
            List<String> allowFiles, List<String> denyFiles, List<String> trustedFiles,
            List<IpAccessProperties.Scope> scopes) {
        return new IpAccessProperties(true, allow, deny, IpAccessProperties.DefaultAction.ALLOW, 403, "ip", trusted,
                allowFiles, denyFiles, trustedFiles, scopes);
    }

    private static String verdict(IpAccessPolicy policy, String ip) {
        return verdict(policy, ip, "example.com", "/");
    }

    private static String verdict(IpAccessPolicy policy, String ip, String host, String path) {
        Verdict verdict = policy.decide(request(ip, host, path)).verdict();
        return verdict.name().toLowerCase();
    }

    private static PolicyRequest request(String ip, String host, String path) {
        return new PolicyRequest(MessageBuilder.checkRequest().ip(ip).path(path).header("host", host).build(), "e");
    }
}
