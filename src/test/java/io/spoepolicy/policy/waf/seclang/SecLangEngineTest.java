package io.spoepolicy.policy.waf.seclang;

import static org.assertj.core.api.Assertions.assertThat;

import io.spoepolicy.policy.waf.Requests;
import io.spoepolicy.policy.waf.WafAction;
import io.spoepolicy.policy.waf.WafEngine;
import io.spoepolicy.policy.waf.WafResult;
import io.spoepolicy.policy.waf.WafRules;
import io.spoepolicy.policy.waf.WafRulesLoader;
import io.spoepolicy.policy.waf.WafSettings;
import io.spoepolicy.policy.waf.WafRequest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** SecLang semantics the CRS relies on, checked on small inline rule sets. */
class SecLangEngineTest {

    private static WafRules rules(String text) {
        return WafRulesLoader.fromText(text, Path.of("."));
    }

    private static WafResult eval(String rules, WafRequest request) {
        return new WafEngine(rules(rules), WafSettings.DEFAULTS).evaluate(request);
    }

    @Test
    void chainMatchesOnlyWhenEveryLinkMatches() {
        String text = """
                SecRule REQUEST_METHOD "@streq POST" "id:1,phase:1,pass,chain"
                    SecRule ARGS:a "@rx ^x" "t:lowercase"
                """;
        assertThat(eval(text, Requests.postForm("/", "a=X1").build()).matchedRuleIds()).containsExactly(1L);
        assertThat(eval(text, Requests.postForm("/", "a=y").build()).matchedRuleIds()).isEmpty();
        assertThat(eval(text, Requests.get("/?a=x").build()).matchedRuleIds()).isEmpty();
    }

    @Test
    void setvarRunsPerMatchAndMacrosSeeCaptures() {
        String text = """
                SecRule REQUEST_HEADERS_NAMES "@rx ^x-(.*)$" "id:1,phase:1,pass,nolog,capture,setvar:'tx.seen_%{tx.1}=1',setvar:tx.count=+1"
                SecRule TX:/^seen_/ "@eq 1" "id:2,phase:1,pass,msg:'%{MATCHED_VAR_NAME}'"
                SecRule TX:count "@eq 2" "id:3,phase:1,pass"
                """;
        WafResult r = eval(text, Requests.get("/").header("x-a", "1").header("x-b", "2").build());
        assertThat(r.matchedRuleIds()).containsExactly(2L, 3L);
        // Like ModSecurity, the message is expanded once, after the last matching value.
        assertThat(r.message()).isEqualTo("TX:seen_b");
    }

    @Test
    void skipAfterJumpsToTheMarker() {
        String text = """
                SecAction "id:1,phase:2,pass,nolog,skipAfter:END"
                SecAction "id:2,phase:2,pass"
                SecMarker END
                SecAction "id:3,phase:2,pass"
                """;
        assertThat(eval(text, Requests.get("/").build()).matchedRuleIds()).containsExactly(3L);
    }

    @Test
    void countsExclusionsAndNegation() {
        String text = """
                SecRule &ARGS "@eq 2" "id:1,phase:2,pass"
                SecRule ARGS|!ARGS:safe "@rx evil" "id:2,phase:2,pass"
                SecRule REQUEST_HEADERS:Content-Length "!@rx ^\\d+$" "id:3,phase:1,pass"
                """;
        WafResult r = eval(text, Requests.get("/?safe=evil&other=fine").build());
        assertThat(r.matchedRuleIds()).containsExactly(1L);
    }

    @Test
    void ctlRemovesLaterRulesAndTargetsForThisRequestOnly() {
        String text = """
                SecRule REQUEST_FILENAME "@beginsWith /upload" "id:1,phase:1,pass,nolog,ctl:ruleRemoveById=10,ctl:ruleRemoveTargetById=11;ARGS:file"
                SecRule ARGS "@rx x" "id:10,phase:2,pass"
                SecRule ARGS "@rx x" "id:11,phase:2,pass"
                """;
        assertThat(eval(text, Requests.get("/upload?file=x").build()).matchedRuleIds()).isEmpty();
        assertThat(eval(text, Requests.get("/upload?other=x").build()).matchedRuleIds()).containsExactly(11L);
        assertThat(eval(text, Requests.get("/?file=x").build()).matchedRuleIds()).containsExactly(10L, 11L);
    }

    @Test
    void denyStopsEvaluationUnlessDetectOnly() {
        String text = """
                SecRule ARGS "@rx attack" "id:1,phase:2,deny,msg:'blocked %{MATCHED_VAR}'"
                SecAction "id:2,phase:2,pass"
                """;
        WafRequest request = Requests.get("/?q=attack").build();
        WafResult enforced = new WafEngine(rules(text), WafSettings.DEFAULTS).evaluate(request);
        assertThat(enforced.action()).isEqualTo(WafAction.DENY);
        assertThat(enforced.matchedRuleIds()).containsExactly(1L);
        assertThat(enforced.message()).isEqualTo("blocked attack");

        WafResult detectOnly = new WafEngine(rules(text), WafSettings.DEFAULTS.withDetectOnly(true)).evaluate(request);
        assertThat(detectOnly.action()).isEqualTo(WafAction.ALLOW);
        assertThat(detectOnly.wouldDeny()).isTrue();
        assertThat(detectOnly.matchedRuleIds()).containsExactly(1L, 2L);
    }

    @Test
    void multiMatchTriesEveryTransformationStage() {
        String plain = "SecRule ARGS \"@rx ^%41$\" \"id:1,phase:2,pass,t:urlDecodeUni\"";
        String multi = "SecRule ARGS \"@rx ^%41$\" \"id:1,phase:2,pass,t:urlDecodeUni,multiMatch\"";
        WafRequest request = Requests.get("/?a=%2541").build();
        assertThat(eval(plain, request).matchedRuleIds()).isEmpty();
        assertThat(eval(multi, request).matchedRuleIds()).containsExactly(1L);
    }

    @Test
    void updateTargetByIdAddsExclusions() {
        String text = """
                SecRule REQUEST_COOKIES "@rx evil" "id:1,phase:2,pass"
                SecRuleUpdateTargetById 1 "!REQUEST_COOKIES:/^_ga/"
                """;
        assertThat(eval(text, Requests.get("/").header("cookie", "_ga_x=evil; id=1").build()).matchedRuleIds()).isEmpty();
        assertThat(eval(text, Requests.get("/").header("cookie", "sid=evil").build()).matchedRuleIds()).containsExactly(1L);
    }

    @Test
    void unsupportedRulesAreSkippedWithTheirChainAndReported() {
        WafRules r = rules("""
                SecRule ARGS "@geoLookup" "id:5,phase:2,pass,chain"
                    SecRule ARGS "@rx x" "t:none"
                SecRule ARGS "@rx x" "id:6,phase:2,pass,t:notATransformation"
                SecRule ARGS "@rx x" "id:7,phase:2,pass"
                SecRule RESPONSE_BODY "@rx x" "id:8,phase:4,pass"
                """);
        assertThat(r.report().rulesLoaded()).isEqualTo(1);
        assertThat(r.report().skipped()).extracting(s -> s.ruleId()).containsExactly(5L, 6L, 8L);
        assertThat(r.report().skipped().get(0).reason()).contains("geoLookup");
    }

    @Test
    void bodiesAreParsedByContentType() {
        String text = """
                SecRule ARGS:json.user.name "@streq bob" "id:1,phase:2,pass"
                SecRule ARGS:field "@streq v" "id:2,phase:2,pass"
                SecRule FILES "@endsWith .php" "id:3,phase:2,pass"
                SecRule XML:/* "@contains secret" "id:4,phase:2,pass"
                SecRule REQUEST_BODY "@contains bob" "id:5,phase:2,pass"
                """;
        WafRequest json = Requests.postForm("/", "").header("content-type", "application/json")
                .body("{\"user\":{\"name\":\"bob\"}}").build();
        assertThat(eval(text, json).matchedRuleIds()).containsExactly(1L);
        String multipart = "--B\r\nContent-Disposition: form-data; name=\"field\"\r\n\r\nv\r\n"
                + "--B\r\nContent-Disposition: form-data; name=\"up\"; filename=\"shell.php\"\r\n"
                + "Content-Type: text/plain\r\n\r\n<?php ?>\r\n--B--\r\n";
        WafRequest mp = Requests.postForm("/", "").header("content-type", "multipart/form-data; boundary=B")
                .body(multipart).build();
        assertThat(eval(text, mp).matchedRuleIds()).containsExactly(2L, 3L);
        WafRequest xml = Requests.postForm("/", "").header("content-type", "text/xml")
                .body("<a><b x=\"1\">top secret</b></a>").build();
        assertThat(eval(text, xml).matchedRuleIds()).containsExactly(4L);
        WafRequest form = Requests.postForm("/", "name=bob").build();
        assertThat(eval(text, form).matchedRuleIds()).containsExactly(5L);
    }
}
