package io.spoepolicy.testsupport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CapturedCommandTest {

    private static final Path HERE = Path.of(".");

    @Test
    void capturesBothStreamsAndTheExitCode() throws Exception {
        CapturedCommand.Result result = CapturedCommand.run(List.of("sh", "-c", "echo out; echo err >&2; exit 3"),
                HERE, Duration.ofSeconds(10), CapturedCommand.OnTimeout.FAIL);

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.output()).contains("out", "err");
        assertThat(result.timedOut()).isFalse();
    }

    /** The output is still open when the bound passes: a pipe read to its end would wait the whole sleep. */
    @Test
    void killsAtTheBoundAndKeepsOrRefusesWhatWasPrinted() throws Exception {
        List<String> hangs = List.of("sh", "-c", "echo partial; exec sleep 30");
        long start = System.nanoTime();

        CapturedCommand.Result kept = CapturedCommand.run(hangs, HERE, Duration.ofMillis(500),
                CapturedCommand.OnTimeout.KEEP_OUTPUT);
        assertThat(kept.timedOut()).isTrue();
        assertThat(kept.output()).contains("partial");

        assertThatThrownBy(() -> CapturedCommand.run(hangs, HERE, Duration.ofMillis(500), CapturedCommand.OnTimeout.FAIL))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("did not finish within PT0.5S").hasMessageContaining("partial");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    }
}
