package io.spoepolicy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.junit.jupiter.api.Test;

import io.spoepolicy.testsupport.FreePorts;
import io.spoepolicy.testsupport.HaproxyProcess;
import io.spoepolicy.testsupport.HttpLoad;
import io.spoepolicy.testsupport.QuickStart;
import io.spoepolicy.testsupport.RequiresHaproxy;

@RequiresHaproxy
class HaproxyReloadTest {

    @Test
    void masterWorkerReloadsThroughTheMasterCliAndBySignal() {
        int frontendPort = FreePorts.next();
        try (HaproxyProcess haproxy = HaproxyProcess.builder(
                QuickStart.builder().frontendPort(frontendPort).agentPorts(FreePorts.next()).build())
                .masterWorker().start()) {
            Set<Long> first = haproxy.workerPids();
            assertThat(first).hasSize(1).doesNotContain(haproxy.pid());
            assertThat(HttpLoad.get(frontendPort, "/").status()).isEqualTo(200);

            haproxy.reload();
            Set<Long> second = haproxy.workerPids();

            assertThat(second).hasSize(1).doesNotContainAnyElementsOf(first);
            assertThat(haproxy.runtimeCommand("show info")).contains("Pid: " + second.iterator().next() + "\n");
            assertThat(HttpLoad.get(frontendPort, "/").status()).as(haproxy.logTail(20)).isEqualTo(200);

            haproxy.reloadWithSignal();

            assertThat(haproxy.workerPids()).hasSize(1).doesNotContainAnyElementsOf(second);
            assertThat(HttpLoad.get(frontendPort, "/").status()).isEqualTo(200);
            assertThat(haproxy.masterCommand("show proc")).contains("master");
        }
    }
}
