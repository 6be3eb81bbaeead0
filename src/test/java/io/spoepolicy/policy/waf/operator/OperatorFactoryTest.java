package io.spoepolicy.policy.waf.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spoepolicy.policy.waf.rules.Macro;
import io.spoepolicy.policy.waf.rules.UnsupportedConstructException;
import java.util.HashMap;
import io.spoepolicy.policy.waf.regex.dfa.RegexDfa;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorFactoryTest {

    private final OperatorFactory factory = new OperatorFactory(name -> List.of("# comment", "", "evil", "  Bad Thing "));

    /** Minimal context: TX from a map, captures recorded. */
    private static final class Ctx implements OperatorContext {
        final Map<String, String> tx = new HashMap<>();
        boolean capture = true;

        @Override
        public String expand(Macro parameter) {
            return parameter.expand(ref -> tx.get(ref.key()));
        }

        @Override
        public boolean captureEnabled() {
            return capture;
        }

        @Override
        public void capture(int index, String value) {
            tx.put(Integer.toString(index), value);
        }
    }

    private boolean match(String op, String param, String input) throws UnsupportedConstructException {
        return factory.create(op, param).matches(input, new Ctx());
    }

    @Test
    void regexCapturesGroupsIntoTx() throws Exception {
        Ctx ctx = new Ctx();
        assertThat(factory.create("rx", "(\\d+)-(\\d+)").matches("bytes=10-2", ctx)).isTrue();
        assertThat(ctx.tx).containsEntry("0", "10-2").containsEntry("1", "10").containsEntry("2", "2");
    }

    @Test
    void regexHasADfaThatAnswersUnlessCapturesAreNeeded() throws Exception {
        RegexOperator rx = (RegexOperator) factory.create("rx", "(?i)\\bunion\\b.{0,20}\\bselect\\b");
        assertThat(rx.dfa()).isNotNull();
        assertThat(rx.dfa().exact()).isTrue();
        assertThat(factory.create("rx", "(?i)\\bunion\\b.{0,20}\\bselect\\b")).isSameAs(rx);
        Ctx ctx = new Ctx();
        ctx.capture = false;
        assertThat(rx.matches("1 UNION ALL SELECT 2", ctx)).isTrue();
        assertThat(rx.matches("reunion selected", ctx)).isFalse();
        assertThat(new OperatorFactory(name -> List.of(), RegexOptions.NO_DFA).create("rx", "a+")).extracting("dfa")
                .isNull();
        // Which engine answered: a DFA for "y" in front of RE2J for "x". Without captures the DFA's
        // exact "match" is final; with captures RE2J runs (and here disagrees).
        RegexDfa forY = io.spoepolicy.policy.waf.regex.dfa.DfaCompiler.compile("y",
                io.spoepolicy.policy.waf.regex.Re2Reader.DOT_NL, 100, 1 << 20).dfa();
        RegexOperator mixed = new RegexOperator(com.google.re2j.Pattern.compile("(x)"), null, forY);
        assertThat(mixed.matches("y", ctx)).isTrue();
        assertThat(mixed.matches("x", ctx)).isFalse();
        assertThat(mixed.matches("y", new Ctx())).isFalse();
    }

    @Test
    void regexDotMatchesNewlineAndDollarMeansEndOfText() throws Exception {
        assertThat(match("rx", "a.b", "a\nb")).isTrue();
        assertThat(match("rx", "^abc$", "abc\n")).isFalse();
    }

    @Test
    void regexStaysLinearOnCatastrophicPatterns() throws Exception {
        Operator op = factory.create("rx", "^(a+)+$");
        String input = "a".repeat(50_000) + "!";
        assertThat(op.matches(input, new Ctx())).isFalse();
    }

    @Test
    void phraseOperatorsUseDataFilesAndIgnoreComments() throws Exception {
        assertThat(match("pmFromFile", "list.data", "a bad thing happened")).isTrue();
        assertThat(match("pmFromFile", "list.data", "# comment")).isFalse();
        assertThat(match("pm", "foo bar", "xBARx")).isTrue();
    }

    @Test
    void stringAndNumericComparisonsExpandMacros() throws Exception {
        Ctx ctx = new Ctx();
        ctx.tx.put("allowed", "GET HEAD POST");
        ctx.tx.put("limit", "10");
        assertThat(factory.create("within", "%{tx.allowed}").matches("POST", ctx)).isTrue();
        assertThat(factory.create("within", "%{tx.allowed}").matches("PUT", ctx)).isFalse();
        assertThat(factory.create("gt", "%{tx.limit}").matches("11", ctx)).isTrue();
        assertThat(factory.create("lt", "%{tx.limit}").matches("abc", ctx)).isTrue();
        assertThat(match("streq", "POST", "POST")).isTrue();
        assertThat(match("beginsWith", "/admin", "/admin/x")).isTrue();
        assertThat(match("endsWith", ".pdf", "a.PDF")).isFalse();
        assertThat(match("contains", "#", "/a#b")).isTrue();
    }

    @Test
    void validatorsMatchOnInvalidInput() throws Exception {
        assertThat(match("validateByteRange", "32-126", "abc")).isFalse();
        assertThat(match("validateByteRange", "32-126", "a\u0000c")).isTrue();
        assertThat(match("validateUrlEncoding", "", "a%2")).isTrue();
        assertThat(match("validateUrlEncoding", "", "a%2f")).isFalse();
        assertThat(match("validateUtf8Encoding", "", "\u00c3\u00a9")).isFalse();
        assertThat(match("validateUtf8Encoding", "", "\u00c0\u00af")).isTrue();
        assertThat(match("validateUtf8Encoding", "", "\u00e9")).isTrue();
    }

    @Test
    void ipMatchSupportsAddressesAndBlocks() throws Exception {
        assertThat(match("ipMatch", "127.0.0.1,::1,10.0.0.0/8", "10.2.3.4")).isTrue();
        assertThat(match("ipMatch", "127.0.0.1,::1,10.0.0.0/8", "::1")).isTrue();
        assertThat(match("ipMatch", "127.0.0.1,::1,10.0.0.0/8", "192.0.2.1")).isFalse();
    }

    @Test
    void unknownOperatorsAreReportedNotGuessed() {
        assertThatThrownBy(() -> factory.create("geoLookup", "")).isInstanceOf(UnsupportedConstructException.class);
        assertThatThrownBy(() -> factory.create("rx", "(?<=a)b")).isInstanceOf(UnsupportedConstructException.class);
    }
}
