package io.spoepolicy.policy.waf.regex.dfa;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import io.spoepolicy.policy.waf.regex.Re2Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The DFA against RE2J's {@code find()} on targeted patterns and exhaustive short inputs. */
class RegexDfaTest {

    /** Characters that exercise every construct below: cases, folding, words, lines, Unicode. */
    private static final String ALPHABET = "aAbBkKsS_0 \n-\u017F\u212A\u00E9\u00C9\u0130\u0131x";
    private static final List<String> EXTRA = List.of("", "\uD83D\uDE00", "\uD83D", "\uDE00", "a\uD83D\uDE00b",
            "K\u212Ak", "ſs", "é", "É", "\r\n", "\t");

    @ParameterizedTest
    @ValueSource(strings = {
        "a", "(?i)a", "(?i)k", "(?i)s", "(?i)K", "(?i)\u017F", "(?i)\u212A", "(?i)é", "(?i)[é]", "(?i)[^é]",
        "^a", "a$", "^a$", "^$", "^", "$", "(?m)^a", "(?m)a$", "(?m)^$", "(?m)^a$", "(?m)$\\n", "(?m)\\n^",
        "\\Aa", "a\\z", "x^a", "a$x", "(?:^)?a", "(?:^|b)a", "a(?:$|b)", "(?m)(?:^|b)a",
        "\\ba", "a\\b", "\\Ba", "a\\B", "\\b", "\\B", "\\b\\B", "\\bk\\b", "(?i)\\bk\\b", "_\\b", "\\b_",
        "[^a]", "[^\\n]", "(?-s).", "(?-s)a.b", "a.b", ".", "(?s:.)", "(?i)[^k]", "(?i)[k-s]", "(?i)[^k-s]",
        "\\w", "\\W", "(?i)\\w", "(?i)\\W", "(?i)[\\W]", "(?i)[^\\w]", "\\d", "\\D", "\\s", "\\S", "[\\s\\d]",
        "[[:alpha:]]", "[[:^alpha:]]", "(?i)[[:upper:]]", "(?i)[[:^lower:]]", "[[:punct:]]", "[[:space:]]",
        "[[:word:]]", "[[:xdigit:]]+x", "\\pL", "\\PL", "\\p{Greek}", "(?i)\\p{Lu}", "[\\p{L}\\d]",
        "a{2}", "a{2,}", "a{1,3}b", "(?:ab){2,3}", "(?:a|b)*k", "a*", "a+?", "(?:a*)*b", "(?:^a?)*b",
        "(?i)(?:s|k)+\u00E9", "\\x{212A}", "(?i)\\x{212a}", "\\x41", "\\101", "\\Q.*\\E", "\\Q(?i)\\Ea",
        "(?i:a)A", "a(?i)b|c", "(?i)a(?-i)b", "(a(?i)b)c", "(?U)a+", "(?P<n>a)b", "[a-]", "[]a]", "[^]a]",
        "\\.\\*", "a|", "|a", "(?:)", "x{0}", "(?:\\b|a)+", "\uD83D\uDE00", "[\uD83D\uDE00-\uD83D\uDE4F]",
        "[^\\x00-\\x{10FFFF}]", "(?i)[^\\x00-\\x{10FFFF}]", "\u0130", "(?i)\u0131", "(?i)i",
    })
    void matchesLikeRe2j(String regex) {
        Pattern pattern = Pattern.compile(regex, Pattern.DOTALL);
        DfaCompiler.Result table = DfaCompiler.compile(regex, Re2Reader.DOT_NL, 10_000, Long.MAX_VALUE);
        // One state allowed while building whole: the lazy DFA instead.
        DfaCompiler.Result lazy = DfaCompiler.compile(regex, Re2Reader.DOT_NL, 1, 1 << 24);
        assertThat(table.dfa()).as("DFA for %s: %s", regex, table.reason()).isNotNull();
        assertThat(table.dfa().lazy()).isFalse();
        // (Patterns decided before the first character fit in one state and stay tables.)
        assertThat(lazy.dfa().lazy() || lazy.dfa().states() == 1).as(regex).isTrue();
        for (RegexDfa dfa : List.of(table.dfa(), lazy.dfa())) {
            for (String input : inputs()) {
                boolean expected = pattern.matcher(input).find();
                int answer = dfa.search(input);
                assertThat(answer).as("%s on %s", regex, escape(input)).isNotEqualTo(RegexDfa.UNKNOWN);
                if (dfa.exact()) {
                    assertThat(answer == RegexDfa.YES).as("%s %s on %s", dfa, regex, escape(input)).isEqualTo(expected);
                } else if (expected) {
                    assertThat(answer).as("%s %s on %s (upper bound)", dfa, regex, escape(input)).isEqualTo(RegexDfa.YES);
                }
            }
        }
    }

    @Test
    void lazyDfaLeftToRe2jWhenItThrashesStaysRight() {
        String regex = "(?i)(?:a|b)*a(?:a|b){6}x";
        Pattern pattern = Pattern.compile(regex, Pattern.DOTALL);
        RegexDfa dfa = DfaCompiler.compile(regex, Re2Reader.DOT_NL, 1, 16 * (4L * 20 + 200) + 1000).dfa();
        assertThat(dfa.lazy()).isTrue();
        Random random = new Random(3);
        int unknown = 0;
        for (int i = 0; i < 2000; i++) {
            StringBuilder b = new StringBuilder();
            for (int k = random.nextInt(14); k > 0; k--) {
                b.append("abAx".charAt(random.nextInt(4)));
            }
            int answer = dfa.search(b);
            if (answer == RegexDfa.UNKNOWN) {
                unknown++;
            } else {
                assertThat(answer == RegexDfa.YES).as(b.toString()).isEqualTo(pattern.matcher(b).find());
            }
        }
        assertThat(((LazyDfa) dfa).usedBytes()).isLessThanOrEqualTo(dfa.tableBytes());
        assertThat(unknown).isPositive();
    }

    @Test
    void asciiOnlyPatternsAreExact() {
        for (String regex : List.of("(?i)select\\b", "[^a-z]", "(?i)[^k]", "(?i)\\W", "^\\s*$", "(?m)^x$")) {
            assertThat(DfaCompiler.compile(regex, Re2Reader.DOT_NL, 10_000, Long.MAX_VALUE).dfa().exact()).as(regex).isTrue();
        }
        for (String regex : List.of("\\pL", "(?i)é", "(?i)[^é]")) {
            assertThat(DfaCompiler.compile(regex, Re2Reader.DOT_NL, 10_000, Long.MAX_VALUE).dfa().exact()).as(regex).isFalse();
        }
    }

    /** The case-folding model: outside ASCII only long s and Kelvin fold to ASCII letters. */
    @Test
    void onlyLongSAndKelvinFoldIntoAscii() {
        Pattern letters = Pattern.compile("(?i)[a-z]");
        List<Integer> folding = new ArrayList<>();
        for (int c = 0x80; c <= Character.MAX_CODE_POINT; c++) {
            if (letters.matcher(new String(Character.toChars(c))).find()) {
                folding.add(c);
            }
        }
        assertThat(folding).containsExactly(CaseFold.LONG_S, CaseFold.KELVIN);
        assertThat(Pattern.compile("(?i)s").matcher("\u017F").find()).isTrue();
        assertThat(Pattern.compile("(?i)k").matcher("\u212A").find()).isTrue();
    }

    @Test
    void refusesWhatItCannotModel() {
        assertThat(DfaCompiler.compile("(?:abcdefghij){1000}".repeat(6), Re2Reader.DOT_NL, 1000,
                Long.MAX_VALUE).reason()).contains("NFA above");
        assertThat(DfaCompiler.compile("a\\C", Re2Reader.DOT_NL, 1000, Long.MAX_VALUE).dfa()).isNull();
        // Too many states to build whole: built lazily, within the byte budget.
        RegexDfa lazy = DfaCompiler.compile("(?:a|b)*a(?:a|b){14}", Re2Reader.DOT_NL, 1000, 1 << 20).dfa();
        assertThat(lazy.lazy()).isTrue();
        assertThat(lazy.tableBytes()).isLessThanOrEqualTo(1 << 20);
        assertThat(DfaCompiler.compile("(?:a|b)*a(?:a|b){14}", Re2Reader.DOT_NL, 1000, 100).reason())
                .contains("tables above");
    }

    @Test
    void randomPatternsAgreeWithRe2j() {
        Random random = new Random(7);
        String[] atoms = {"a", "b", "k", "s", ".", "\\b", "\\B", "^", "$", "(?m:^)", "(?m:$)", "\\n", "[^a]", "\\w",
            "\\W", "(?i:k)", "(?i:s)", "\\s", "[ab]", "(?i)"};
        int checked = 0;
        for (int p = 0; p < 400; p++) {
            StringBuilder regex = new StringBuilder();
            int n = 1 + random.nextInt(5);
            for (int i = 0; i < n; i++) {
                String atom = atoms[random.nextInt(atoms.length)];
                if (random.nextInt(4) == 0) {
                    atom = "(?:" + atom + "|" + atoms[random.nextInt(atoms.length)] + ")";
                }
                regex.append(atom);
                if (random.nextInt(4) == 0 && !atom.equals("(?i)")) {
                    regex.append(new String[] {"*", "+", "?", "{2}", "{0,2}"}[random.nextInt(5)]);
                }
            }
            Pattern pattern;
            try {
                pattern = Pattern.compile(regex.toString(), Pattern.DOTALL);
            } catch (RuntimeException e) {
                continue;
            }
            DfaCompiler.Result r = DfaCompiler.compile(regex.toString(), Re2Reader.DOT_NL, 10_000, Long.MAX_VALUE);
            assertThat(r.dfa()).as("%s: %s", regex, r.reason()).isNotNull();
            for (String input : inputs()) {
                checked++;
                assertThat(r.dfa().search(input) == RegexDfa.YES).as("%s on %s", regex, escape(input))
                        .isEqualTo(pattern.matcher(input).find());
            }
        }
        assertThat(checked).isGreaterThan(100_000);
    }

    /** Every string up to length 3 over {@link #ALPHABET}, and a few more. */
    private static List<String> inputs() {
        List<String> out = new ArrayList<>(EXTRA);
        out.add("");
        for (int i = 0; i < ALPHABET.length(); i++) {
            String a = ALPHABET.substring(i, i + 1);
            out.add(a);
            for (int j = 0; j < ALPHABET.length(); j++) {
                String b = a + ALPHABET.charAt(j);
                out.add(b);
                for (int k = 0; k < ALPHABET.length(); k += 3) {
                    out.add(b + ALPHABET.charAt(k));
                }
            }
        }
        return out;
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(c < 32 || c > 126 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return b.toString();
    }
}
