package io.spoepolicy.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HarnessPartsTest {

    @Test
    void parsesHaproxyBanners() {
        HaproxyVersion debian = HaproxyVersion.parse(
                "HAProxy version 2.6.12-1+deb12u4 2026/10/17 - https://haproxy.org/\nStatus: long-term");
        HaproxyVersion built = HaproxyVersion.parse("HAProxy version 3.2.0-e134140 2025/05/28 - https://haproxy.org/");

        assertThat(debian).extracting(HaproxyVersion::major, HaproxyVersion::minor, HaproxyVersion::patch)
                .containsExactly(2, 6, 12);
        assertThat(debian.full()).isEqualTo("2.6.12-1+deb12u4");
        assertThat(debian.hasSpopMultiplexer()).isFalse();
        assertThat(built.hasSpopMultiplexer()).isTrue();
        assertThat(built).isGreaterThan(debian);
    }

    @Test
    void readsServerRowsOfShowStat() {
        StatTable table = StatTable.parse("""
                # pxname,svname,qcur,stot,status,
                fe_policy,FRONTEND,,12,OPEN,
                be_spoe_agents,agent1,0,3,UP 1/2,
                be_spoe_agents,BACKEND,0,3,UP,
                """);

        assertThat(table.field("be_spoe_agents", "agent1", "status")).isEqualTo("UP 1/2");
        assertThat(ServerState.fromStatus(table.field("be_spoe_agents", "agent1", "status"))).isEqualTo(ServerState.UP);
        assertThat(table.number("be_spoe_agents", "agent1", "stot")).isEqualTo(3);
        assertThat(table.number("be_spoe_agents", "agent1", "qcur")).isZero();
        assertThat(table.row("be_spoe_agents", "agent2")).isEmpty();
        assertThat(ServerState.fromStatus("DOWN 1/2")).isEqualTo(ServerState.DOWN);
    }

    @Test
    void configRenderingRefusesUnresolvedTokens() {
        HaproxyConfig config = HaproxyConfig.of("bind 127.0.0.1:${PORT}\nhttp-request set-var(txn.h) str(\"$HOME\")\n");

        assertThatThrownBy(config::render).hasMessageContaining("${PORT}");
        assertThat(config.withToken("PORT", 8000).render().get(HaproxyConfig.MAIN_FILE))
                .isEqualTo("bind 127.0.0.1:8000\nhttp-request set-var(txn.h) str(\"$HOME\")\n");
    }

    @Test
    void literalEditsFailWhenTheTemplateChanged() {
        HaproxyConfig config = HaproxyConfig.of("a\nb\n");

        assertThatThrownBy(() -> config.replace(HaproxyConfig.MAIN_FILE, "c", "d", 1))
                .hasMessageContaining("expected 1 occurrence(s) of 'c'");
    }
}
