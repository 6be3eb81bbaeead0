package io.spoepolicy.policy.waf.prefilter;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RegexLiteralsTest {

    private static Set<String> literals(String pattern) {
        RegexLiterals.Analysis a = RegexLiterals.analyze(pattern);
        assertThat(a.usable()).as("prefilter for %s (%s)", pattern, a.reason()).isTrue();
        return a.literals();
    }

    private static String noPrefilter(String pattern) {
        RegexLiterals.Analysis a = RegexLiterals.analyze(pattern);
        assertThat(a.usable()).as("no prefilter for %s, got %s", pattern, a.literals()).isFalse();
        return a.reason();
    }

    @Test
    void plainLiteralsAndConcatenation() {
        assertThat(literals("abc")).containsExactly("abc");
        assertThat(literals("a(?:b|c)d")).containsExactlyInAnyOrder("abd", "acd");
        assertThat(literals("^/etc/passwd$")).containsExactly("/etc/passwd");
        assertThat(literals("\\bunion\\b")).containsExactly("union");
    }

    @Test
    void alternationsUnionTheirFactors() {
        assertThat(literals("(?:union|select)")).containsExactlyInAnyOrder("union", "select");
        assertThat(literals("(?i)(?:union|select)[^a-z]+from")).isIn(Set.of("union", "select"), Set.of("from"));
        // One branch without a literal makes the whole alternation literal-free.
        noPrefilter("(?:union|.*)");
        assertThat(noPrefilter("a|bc")).contains("single character");
    }

    @Test
    void optionalPartsContributeNothingButRequiredOnesDo() {
        assertThat(literals("colou?r")).containsExactlyInAnyOrder("color", "colour");
        assertThat(literals("(?:foo)?bar")).containsExactly("bar");
        assertThat(literals("x*select")).containsExactly("select");
        assertThat(literals("[a-z]+select")).containsExactly("select");
        noPrefilter("(?:select)*");
        noPrefilter("(?:select)?");
        noPrefilter("(?:ab){0,3}");
        assertThat(literals("(?:ab)+")).containsExactly("ab");
        assertThat(literals("(?:ab){2,}")).containsExactly("ab");
        assertThat(literals("(?:ab){2}")).containsExactly("abab");
        // {abc, ababc} minimised: containing "ababc" implies containing "abc".
        assertThat(literals("(?:ab){1,2}c")).containsExactly("abc");
        assertThat(literals("a+?bc*?d??")).containsExactly("ab");
    }

    @Test
    void nestedQuantifiersKeepOnlyWhatEveryMatchHas() {
        assertThat(literals("(?:(?:ab)*cd)+")).containsExactly("cd");
        assertThat(literals("(?:x(?:yz)+w)*qq")).containsExactly("qq");
        noPrefilter("(?:(?:abc)+)?");
        assertThat(literals("(?:(?:abc)+|(?:abd){1,})")).containsExactlyInAnyOrder("abc", "abd");
    }

    @Test
    void caseInsensitivityFoldsToLowercase() {
        assertThat(literals("(?i)SeLeCt")).containsExactly("select");
        assertThat(literals("SELECT")).containsExactly("select");
        assertThat(literals("(?i:UNION)\\s+ALL")).allMatch(l -> l.startsWith("union"));
        assertThat(literals("[Ss][Ee][Ll]ect")).containsExactly("select");
        // Non-ASCII literals are never used (their case orbits are not ASCII-folded).
        assertThat(literals("(?i)stra\u00dfe")).containsExactly("stra");
        noPrefilter("\u00e9\u00e8");
    }

    @Test
    void classesExpandWhenSmall() {
        assertThat(literals("[0-9]x")).hasSize(10).contains("0x", "9x");
        assertThat(literals("on[lL]oad")).containsExactly("onload");
        assertThat(literals("a[-+]b")).containsExactlyInAnyOrder("a-b", "a+b");
        assertThat(literals("[]a]b")).containsExactlyInAnyOrder("]b", "ab");
        // Large or negated classes break the literal.
        assertThat(literals("ab[a-z]cd")).isIn(Set.of("ab"), Set.of("cd"));
        assertThat(literals("abc[^x]de")).containsExactly("abc");
        assertThat(literals("ab[[:alpha:]]cde")).containsExactly("cde");
        assertThat(literals("ab\\pLcde")).containsExactly("cde");
        assertThat(literals("ab\\p{Greek}cde")).containsExactly("cde");
        assertThat(literals("ab\\wcde")).containsExactly("cde");
    }

    @Test
    void escapes() {
        assertThat(literals("\\x41\\x42")).containsExactly("ab");
        assertThat(literals("\\x{41}\\x{42}c")).containsExactly("abc");
        assertThat(literals("\\\\etc")).containsExactly("\\etc");
        assertThat(literals("a\\.b\\*c")).containsExactly("a.b*c");
        assertThat(literals("\\Qa.b*\\E")).containsExactly("a.b*");
        // The star repeats only the last quoted character: "a", "b*", "c" leave no 2-char literal.
        noPrefilter("\\Qab\\E*c");
        assertThat(literals("\\Qabc\\E+d")).containsExactly("abc");
        assertThat(literals("\\t\\n\\101b")).containsExactly("\t\nab");
        assertThat(literals("a\\sb")).containsExactlyInAnyOrder("a b", "a\tb", "a\nb", "a\fb", "a\rb");
        assertThat(literals("\\d\\.\\d{2}x")).isNotEmpty();
        assertThat(literals("a{,3}b")).containsExactly("a{,3}b");
        assertThat(literals("a{01}b")).containsExactly("a{01}b");
        assertThat(literals("ab{2}c")).containsExactly("abbc");
    }

    @Test
    void anchorsAndGroupsAreTransparent() {
        assertThat(literals("(?P<name>ab)(?<other>cd)")).containsExactly("abcd");
        assertThat(literals("\\Aab(?m)^cd$\\z")).containsExactly("abcd");
        assertThat(literals("(?s:ab)(?-i)cd")).containsExactly("abcd");
        noPrefilter("^$");
        noPrefilter("");
    }

    @Test
    void unknownSyntaxMeansNoPrefilter() {
        assertThat(noPrefilter("(?=ab)cd")).startsWith("unsupported");
        assertThat(noPrefilter("ab\\1")).startsWith("unsupported");
        assertThat(noPrefilter("ab\\e")).startsWith("unsupported");
        assertThat(noPrefilter("(ab")).startsWith("unsupported");
        assertThat(noPrefilter("ab)")).startsWith("unsupported");
        assertThat(noPrefilter("*ab")).startsWith("unsupported");
        assertThat(noPrefilter("[ab")).startsWith("unsupported");
    }

    @Test
    void evasionPaddingIsReadUnderTheEvasionAssumption() {
        String crsStyle = "(?i)b[\"'\\)\\[\\x5c]*(?:\\$[a-z]*)?\\x5c?u[\"'\\)\\[\\x5c]*(?:\\$[a-z]*)?\\x5c?s\\b";
        RegexLiterals.Analysis a = RegexLiterals.analyze(crsStyle);
        assertThat(a.usable()).as(a.reason()).isTrue();
        assertThat(a.literals()).containsExactly("bus");
        assertThat(a.absent()).isEqualTo(Assumption.EVASION.absent());
        assertThat(a.skipped()).isEqualTo(")");
        RegexPrefilter prefilter = RegexPrefilter.forPattern(crsStyle).orElseThrow();
        Pattern re = Pattern.compile(crsStyle);
        for (String matching : new String[] {"BUS;", "b)u))s ", "b\"u's;", "b$xu\\s;", "bu[s "}) {
            assertThat(re.matcher(matching).find()).as(matching).isTrue();
            assertThat(prefilter.mayMatch(matching)).as(matching).isTrue();
        }
        assertThat(prefilter.mayMatch("Mozilla/5.0 (X11; Linux x86_64) bu-s")).isFalse();
        // Plain literals win when there are: no assumption needed.
        assertThat(RegexLiterals.analyze("union[\"']select").absent()).isEmpty();
        // The assumption never turns a pattern made only of absent characters into a claim.
        assertThat(RegexLiterals.analyze("[\"']+").usable()).isFalse();
    }

    @Test
    void setsStayBounded() {
        // 26^3 exact strings cannot be kept; the analysis falls back to a smaller sound set.
        String p = "(?:a|b|c|d|e|f|g|h|i|j|k|l|m|n|o|p|q|r|s|t|u|v|w|x|y|z){3}zz";
        Set<String> lits = literals(p);
        assertThat(lits.size()).isLessThanOrEqualTo(LiteralInfo.MAX_SET);
        Pattern re = Pattern.compile(p);
        for (String s : new String[] {"abczz", "qqqzz", "xyzzz"}) {
            assertThat(re.matcher(s).find()).isTrue();
            assertThat(lits.stream().anyMatch(s::contains)).isTrue();
        }
        StringBuilder big = new StringBuilder("(?:");
        for (int i = 0; i < 2000; i++) {
            big.append(i == 0 ? "" : "|").append("w").append(i).append("x");
        }
        big.append(")");
        Set<String> many = literals(big.toString());
        assertThat(many.size()).isLessThanOrEqualTo(LiteralInfo.MAX_SET);
        assertThat(many.stream().anyMatch("w1999x"::contains)).isTrue();
    }
}
