package io.spoepolicy.server;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import io.spoepolicy.testkit.AgentFrame;
import io.spoepolicy.testkit.MessageBuilder;
import io.spoepolicy.testkit.SpopTestClient;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(properties = {"spoe.server.port=0", "server.port=0"})
class SpoeServerSmokeTest {

    @Autowired
    SpoeServer server;

    @Test
    void allowsAndDeniesOverARealSocket() throws Exception {
        try (SpopTestClient client = SpopTestClient.connect("127.0.0.1", server.address().getPort())) {
            AgentFrame.Hello hello = client.handshake();
            assertThat(hello.version()).isEqualTo("2.0");
            assertThat(client.request(MessageBuilder.checkRequest().ip("127.0.0.1").build()).text("action"))
                    .isEqualTo("allow");
            AgentFrame.Ack denied = client.request(MessageBuilder.checkRequest().ip("127.0.0.2").build());
            assertThat(denied.text("action")).isEqualTo("deny");
            assertThat(denied.text("status")).isEqualTo("403");
            assertThat(denied.text("policy")).isEqualTo("ip-access");
        }
    }
}
