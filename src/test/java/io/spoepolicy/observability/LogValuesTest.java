package io.spoepolicy.observability;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LogValuesTest {

    @Test
    void escapesEverythingThatCouldEndOrDisguiseALine() {
        String forged = "/a\r\n2026-01-01 INFO decision action=allow \"x\" \\ \t\u0000\u001b[31m\u2028\u202e\u0085";
        String quoted = LogValues.quoted(forged, 1000);
        assertThat(quoted).doesNotContain("\n", "\r", "\t", "\u0000", "\u001b", "\u2028", "\u202e", "\u0085");
        assertThat(quoted).isEqualTo("\"/a\\r\\n2026-01-01 INFO decision action=allow \\\"x\\\" \\\\ \\t\\u0000"
                + "\\u001b[31m\\u2028\\u202e\\u0085\"");
    }

    @Test
    void keepsPrintableUnicodeAndPairedSurrogates() {
        assertThat(LogValues.quoted("/caf\u00e9/\ud83d\ude00", 100)).isEqualTo("\"/caf\u00e9/\ud83d\ude00\"");
        assertThat(LogValues.quoted("lone\ud83d", 100)).isEqualTo("\"lone\\ud83d\"");
    }

    @Test
    void cutsLongValuesWithoutSplittingAPair() {
        assertThat(LogValues.quoted("abcdef", 3)).isEqualTo("\"abc...\"");
        assertThat(LogValues.quoted("ab\ud83d\ude00", 3)).isEqualTo("\"ab...\"");
        assertThat(LogValues.escaped("a\nb\ud83d\ude00", 4)).isEqualTo("a\\nb...");
        assertThat(LogValues.escaped("abc", 3)).isEqualTo("abc");
        assertThat(LogValues.escaped(null, 3)).isNull();
    }

    @Test
    void leavesPlainTokensBareAndQuotesTheRest() {
        assertThat(LogValues.token("ip-access", 64)).isEqualTo("ip-access");
        assertThat(LogValues.token(null, 64)).isEqualTo("-");
        assertThat(LogValues.token("two words", 64)).isEqualTo("\"two words\"");
        assertThat(LogValues.token("evil\nline", 64)).isEqualTo("\"evil\\nline\"");
    }
}
