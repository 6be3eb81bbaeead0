package io.spoepolicy.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class SpoeLogLineTest {

    @Test
    void parsesTheClassicFormat() {
        // Captured from Debian 2.6.12 with no agent listening.
        SpoeLogLine line = SpoeLogLine.parse("SPOE: [spoe-policy-agent] <EVENT:on-frontend-http-request> sid=7 st=2 "
                + "-1/-1/-1/-1/0 0/0 0/0 1/3").orElseThrow();

        assertThat(line.agent()).isEqualTo("spoe-policy-agent");
        assertThat(line.kind()).isEqualTo("EVENT");
        assertThat(line.name()).isEqualTo("on-frontend-http-request");
        assertThat(line.streamId()).isEqualTo(7);
        assertThat(line.status()).isEqualTo(2);
        assertThat(line.processingMillis()).isZero();
        assertThat(line.errors()).isEqualTo(1);
        assertThat(line.processed()).isEqualTo(3);
        assertThat(line.applets()).isZero();
        assertThat(line.waiting()).isZero();
        assertThat(line.succeeded()).isFalse();
        assertThat(line.showsPipelining()).isFalse();
    }

    @Test
    void parsesTheMultiplexerFormatOf31AndLater() {
        SpoeLogLine line = SpoeLogLine.parse("<134>Nov 24 21:00:00 haproxy[1]: SPOE: [agent] <GROUP:grp> sid=12 st=257 "
                + "15 2/40").orElseThrow();

        assertThat(line.kind()).isEqualTo("GROUP");
        assertThat(line.name()).isEqualTo("grp");
        assertThat(line.status()).isEqualTo(257);
        assertThat(line.processingMillis()).isEqualTo(15);
        assertThat(line.errors()).isEqualTo(2);
        assertThat(line.processed()).isEqualTo(40);
        assertThat(line.applets()).isEqualTo(-1);
        assertThat(line.showsPipelining()).isFalse();
    }

    @Test
    void recognisesPipeliningInTheClassicCounters() {
        // 107 applets, 182 frames waiting for an ACK: some connection carried several at once.
        SpoeLogLine line = SpoeLogLine.parse("SPOE: [spoe-policy-agent] <EVENT:on-frontend-http-request> sid=363 st=0 "
                + "0/0/219/0/219 102/107 0/182 152/201").orElseThrow();

        assertThat(line.applets()).isEqualTo(107);
        assertThat(line.waiting()).isEqualTo(182);
        assertThat(line.showsPipelining()).isTrue();
    }

    @Test
    void ignoresOtherLines() {
        List<SpoeLogLine> lines = SpoeLogLine.parseAll(List.of(
                "127.0.0.1:52048 [24/Nov/2026:21:18:37.907] fe_policy be_app/<NOSRV> 1/-1/-1/-1/1 200 102 - - LR--",
                "SPOE: [a] <EVENT:on-frontend-http-request> sid=0 st=0 0/1/0/0/1 1/1 0/0 0/1"));

        assertThat(lines).singleElement().satisfies(line -> assertThat(line.succeeded()).isTrue());
    }
}
