package io.spoepolicy.protocol;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PeerStringsTest {

    @Test
    void plainTextIsKept() {
        assertThat(PeerStrings.printable("check-request")).isEqualTo("check-request");
    }

    @Test
    void lineBreaksControlAndFormatCharactersAreEscaped() {
        assertThat(PeerStrings.printable("a\r\nFAKE\u2028b\u202ec\u0000\\"))
                .isEqualTo("a\\u000d\\u000aFAKE\\u2028b\\u202ec\\u0000\\u005c")
                .doesNotContain("\n", "\r", "\u2028");
    }

    @Test
    void longValuesAreCut() {
        assertThat(PeerStrings.printable("x".repeat(1000))).hasSize(131).endsWith("...");
        assertThat(PeerStrings.printable(null)).isEqualTo("null");
    }
}
