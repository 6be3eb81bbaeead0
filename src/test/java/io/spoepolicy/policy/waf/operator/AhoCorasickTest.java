package io.spoepolicy.policy.waf.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AhoCorasickTest {

    @Test
    void findsPhrasesThroughFailureLinks() {
        AhoCorasick ac = AhoCorasick.build(List.of("he", "she", "his", "hers"));
        assertThat(ac.find("ushers")).isEqualTo("she");
        assertThat(ac.find("ahishe")).isEqualTo("his");
        assertThat(ac.find("xyz")).isNull();
    }

    @Test
    void matchesCaseInsensitivelyLikePm() {
        AhoCorasick ac = AhoCorasick.build(List.of("/etc/passwd", "SqlMap"));
        assertThat(ac.find("GET /ETC/PASSWD")).isEqualTo("/etc/passwd");
        assertThat(ac.find("user-agent: sqlmap/1.0")).isEqualTo("SqlMap");
    }

    @Test
    void findsSuffixPhraseInsideLongerPartialMatch() {
        AhoCorasick ac = AhoCorasick.build(List.of("abcd", "bc"));
        assertThat(ac.find("xabcx")).isEqualTo("bc");
    }

    @Test
    void agreesWithNaiveSearchOnRandomInput() {
        Random random = new Random(42);
        List<String> phrases = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            phrases.add(randomWord(random, 2 + random.nextInt(5)));
        }
        AhoCorasick ac = AhoCorasick.build(phrases);
        for (int i = 0; i < 500; i++) {
            String text = randomWord(random, random.nextInt(40));
            boolean naive = phrases.stream().anyMatch(text::contains);
            String found = ac.find(text);
            assertThat(found != null).as(text).isEqualTo(naive);
            if (found != null) {
                assertThat(text).contains(found);
            }
        }
    }

    private static String randomWord(Random random, int length) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            sb.append((char) ('a' + random.nextInt(4)));
        }
        return sb.toString();
    }
}
