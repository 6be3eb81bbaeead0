package io.spoepolicy.policy.scope;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScopeSelectorTest {

    @Test
    void hostPatternsMatchExactWildcardAndAny() {
        assertThat(HostPattern.parse("API.Example.com.").matches("api.example.com")).isTrue();
        assertThat(HostPattern.parse("*.example.com").matches("a.b.example.com")).isTrue();
        assertThat(HostPattern.parse("*.example.com").matches("example.com")).isFalse();
        assertThat(HostPattern.parse("*.example.com").matches("badexample.com")).isFalse();
        assertThat(HostPattern.parse("*").matches("")).isTrue();
        assertThat(HostPattern.parse("api.example.com").specificity())
                .isGreaterThan(HostPattern.parse("*.api.example.com").specificity());
        assertThat(HostPattern.parse("*.api.example.com").specificity())
                .isGreaterThan(HostPattern.parse("*.example.com").specificity());
        assertThatThrownBy(() -> HostPattern.parse("a*.example.com")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HostPattern.parse("example.com:8080")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void requestHostLosesPortCaseAndTrailingDot() {
        assertThat(HostPattern.normalizeHost("API.example.com:8443")).isEqualTo("api.example.com");
        assertThat(HostPattern.normalizeHost("example.com.")).isEqualTo("example.com");
        assertThat(HostPattern.normalizeHost("[::1]:8000")).isEqualTo("[::1]");
        assertThat(HostPattern.normalizeHost(null)).isEmpty();
    }

    @Test
    void pathPrefixesMatchWholeSegments() {
        PathPrefix api = PathPrefix.parse("/api/");
        assertThat(api.prefix()).isEqualTo("/api");
        assertThat(api.matches("/api")).isTrue();
        assertThat(api.matches("/api/users")).isTrue();
        assertThat(api.matches("/apis")).isFalse();
        assertThat(PathPrefix.parse("/").matches("/anything")).isTrue();
        assertThatThrownBy(() -> PathPrefix.parse("api")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pathsAreNormalizedBeforeMatching() {
        assertThat(PathNormalizer.normalize("/%61dmin/x")).isEqualTo("/admin/x");
        assertThat(PathNormalizer.normalize("//admin")).isEqualTo("/admin");
        assertThat(PathNormalizer.normalize("/public/../admin")).isEqualTo("/admin");
        assertThat(PathNormalizer.normalize("/a/./b/")).isEqualTo("/a/b/");
        assertThat(PathNormalizer.normalize("/../../etc")).isEqualTo("/etc");
        assertThat(PathNormalizer.normalize("/a%2fb")).isEqualTo("/a%2Fb");
        assertThat(PathNormalizer.normalize("/admin?x=1")).isEqualTo("/admin");
        assertThat(PathNormalizer.normalize("")).isEqualTo("/");
        assertThat(PathNormalizer.normalize("/a/..")).isEqualTo("/");
    }

    @Test
    void mostSpecificScopeWinsHostFirstThenLongestPath() {
        ScopeSelector<String> selector = new ScopeSelector<>("default", List.of(
                new ScopeSelector.Scoped<>(Scope.of(List.of(), List.of("/admin")), "admin-anywhere"),
                new ScopeSelector.Scoped<>(Scope.of(List.of("*.example.com"), List.of()), "example-wildcard"),
                new ScopeSelector.Scoped<>(Scope.of(List.of("api.example.com"), List.of()), "api"),
                new ScopeSelector.Scoped<>(Scope.of(List.of("api.example.com"), List.of("/v2")), "api-v2"),
                new ScopeSelector.Scoped<>(Scope.of(List.of("api.example.com"), List.of("/v2/admin")), "api-v2-admin")));
        assertThat(pick(selector, "other.org", "/")).isEqualTo("default");
        assertThat(pick(selector, "other.org", "/admin/users")).isEqualTo("admin-anywhere");
        assertThat(pick(selector, "www.example.com", "/admin")).isEqualTo("example-wildcard");
        assertThat(pick(selector, "api.example.com", "/v1")).isEqualTo("api");
        assertThat(pick(selector, "api.example.com:443", "/v2/x")).isEqualTo("api-v2");
        assertThat(pick(selector, "API.example.com", "/v2/admin/x")).isEqualTo("api-v2-admin");
        assertThat(pick(selector, "api.example.com", "/v2/%61dmin")).isEqualTo("api-v2-admin");
    }

    @Test
    void tiesGoToTheScopeDeclaredFirst() {
        ScopeSelector<String> selector = new ScopeSelector<>("default", List.of(
                new ScopeSelector.Scoped<>(Scope.of(List.of(), List.of("/a")), "first"),
                new ScopeSelector.Scoped<>(Scope.of(List.of(), List.of("/a")), "second")));
        assertThat(pick(selector, "", "/a")).isEqualTo("first");
    }

    private static String pick(ScopeSelector<String> selector, String host, String path) {
        return selector.select(RequestTarget.of(host, path)).value();
    }
}
