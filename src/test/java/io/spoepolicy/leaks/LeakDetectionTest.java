package io.spoepolicy.leaks;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Proves the leak gate can fail: a deliberately leaked buffer is reported. */
class LeakDetectionTest {

    @Test
    void aLeakedBufferIsReported() {
        assumeTrue(RecordingLeakDetector.installed(), "runs under Surefire, which installs the detector");
        RecordingLeakDetector.collectLeaks();
        leakOneBuffer();
        var leaks = RecordingLeakDetector.collectLeaks();
        assertThat(leaks).anySatisfy(leak -> assertThat(leak).contains("leakOneBuffer"));
    }

    private static void leakOneBuffer() {
        ByteBuf leaked = ByteBufAllocator.DEFAULT.buffer(32);
        leaked.writeInt(42);
        leaked.touch("io.spoepolicy.leaks.LeakDetectionTest.leakOneBuffer");
    }
}
