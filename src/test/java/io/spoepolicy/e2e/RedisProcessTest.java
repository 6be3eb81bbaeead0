package io.spoepolicy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.spoepolicy.testsupport.FreePorts;
import io.spoepolicy.testsupport.RedisProcess;
import io.spoepolicy.testsupport.RequiresRedis;

@RequiresRedis
class RedisProcessTest {

    @Test
    void stopsAndRestartsOnTheSamePortWithoutPersistence() {
        try (RedisProcess redis = RedisProcess.startNew()) {
            int port = redis.port();
            assertThat(redis.pings()).isTrue();
            assertThat(redis.command("SET k v")).isEqualTo("+OK");

            redis.stop();

            assertThat(redis.isRunning()).isFalse();
            assertThat(redis.pings()).isFalse();
            assertThat(FreePorts.isListening(port)).isFalse();

            redis.start();

            assertThat(redis.port()).isEqualTo(port);
            assertThat(redis.pings()).isTrue();
            assertThat(redis.command("EXISTS k")).as("no persistence across restarts").isEqualTo(":0");

            redis.restart();
            assertThat(redis.pings()).isTrue();
        }
    }
}
