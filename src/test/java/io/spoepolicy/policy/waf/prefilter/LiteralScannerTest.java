package io.spoepolicy.policy.waf.prefilter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.re2j.Pattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LiteralScannerTest {

    @Test
    void findsLiteralsAnywhereCaseInsensitively() {
        LiteralScanner s = LiteralScanner.of(Set.of("union", "select"));
        assertThat(s.containsAny("1 UNION all")).isTrue();
        assertThat(s.containsAny("xxSeLeCt")).isTrue();
        assertThat(s.containsAny("unio select")).isTrue();
        assertThat(s.containsAny("unio selec")).isFalse();
        assertThat(s.containsAny("")).isFalse();
    }

    @Test
    void followsFailureLinks() {
        assertThat(LiteralScanner.of(Set.of("abcd", "bce")).containsAny("abce")).isTrue();
        assertThat(LiteralScanner.of(Set.of("aab")).containsAny("aaab")).isTrue();
        assertThat(LiteralScanner.of(Set.of("abab")).containsAny("abaabab")).isTrue();
        assertThat(LiteralScanner.of(Set.of("abab")).containsAny("abaaba")).isFalse();
    }

    @Test
    void foldsTheLongSAndKelvinSignLikeRe2jDoes() {
        LiteralScanner s = LiteralScanner.of(Set.of("kelvin", "class"));
        assertThat(s.containsAny("\u212Aelvin")).isTrue();
        assertThat(s.containsAny("cla\u017F\u017F")).isTrue();
        assertThat(s.containsAny("kelvi\u00f1")).isFalse();
    }

    @Test
    void skippedCharactersAreReadAsDeleted() {
        LiteralScanner s = LiteralScanner.of(Set.of("busybox", "'"), ")");
        assertThat(s.containsAny("b)u)))sybo)x")).isTrue();
        assertThat(s.containsAny("x'")).isTrue();
        assertThat(s.containsAny("b(usybox")).isFalse();
        assertThatThrownBy(() -> LiteralScanner.of(Set.of("a)b"), ")")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsLiteralsItCannotFold() {
        assertThatThrownBy(() -> LiteralScanner.of(Set.of("Abc"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LiteralScanner.of(Set.of("\u00e9t\u00e9"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LiteralScanner.of(Set.of(""))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void agreesWithNaiveSearchOnRandomSets() {
        Random random = new Random(42);
        String alphabet = "abcs k-/'\"";
        for (int round = 0; round < 300; round++) {
            List<String> lits = new ArrayList<>();
            int n = 1 + random.nextInt(round % 10 == 0 ? 200 : 6);
            for (int i = 0; i < n; i++) {
                lits.add(randomString(random, alphabet, 1 + random.nextInt(14)));
            }
            LiteralScanner scanner = LiteralScanner.of(lits);
            for (int k = 0; k < 50; k++) {
                String input = randomString(random, alphabet + "ABCSK\u017F\u212A\u00e9", random.nextInt(40));
                String folded = fold(input);
                // The scanner cuts literals to MAX_SCAN_LENGTH: a weaker, still sound condition.
                boolean expected = lits.stream().anyMatch(l -> folded.contains(cut(l)));
                assertThat(scanner.containsAny(input)).as("%s in %s", lits, input).isEqualTo(expected);
            }
        }
    }

    /** The scanner's folding is at least as wide as RE2J's (?i) for every ASCII literal. */
    @Test
    void foldingCoversRe2jCaseInsensitiveMatching() {
        for (char a = 0x20; a < 0x7f; a++) {
            Pattern re = Pattern.compile("(?i)" + Pattern.quote(String.valueOf(a)));
            for (int c = 0; c <= 0xFFFF; c++) {
                if (Character.isSurrogate((char) c)) {
                    continue;
                }
                if (re.matches(String.valueOf((char) c))) {
                    assertThat(LiteralFold.input((char) c)).as("U+%04X vs %s", c, a)
                            .isEqualTo((char) LiteralFold.literal(a));
                }
            }
        }
    }

    private static String cut(String l) {
        String lower = l.toLowerCase(Locale.ROOT);
        return lower.length() > LiteralScanner.MAX_SCAN_LENGTH ? lower.substring(0, LiteralScanner.MAX_SCAN_LENGTH) : lower;
    }

    private static String fold(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            b.append(LiteralFold.input(s.charAt(i)));
        }
        return b.toString();
    }

    private static String randomString(Random random, String alphabet, int len) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < len; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }
}
