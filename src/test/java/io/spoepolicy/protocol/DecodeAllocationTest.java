package io.spoepolicy.protocol;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import io.spoepolicy.testkit.HaproxyFrames;
import io.spoepolicy.testkit.MessageBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 8's decode budget: a typical NOTIFY (address, method, path, query, ten headers) is
 * decoded with under 200 bytes of heap allocation once its connection's payload buffers are
 * recycled (measured with the JVM's per-thread allocation counter, as JMH's {@code -prof gc}).
 */
class DecodeAllocationTest {

    private static final int DECODES = 20_000;

    @Test
    void aTypicalNotifyDecodesWithUnder200BytesAllocated() {
        MessageBuilder builder = MessageBuilder.checkRequest().ip("192.0.2.10").method("GET")
                .path("/catalog/item/12345").query("ref=home&lang=en");
        for (int i = 0; i < 10; i++) {
            builder.header("x-header-" + i, "value-" + "v".repeat(30) + i);
        }
        // Wrapped, not allocated: tests run with paranoid leak detection, whose access records on
        // an allocator's buffer would dwarf what is measured here.
        ByteBuf frame = Unpooled.wrappedBuffer(HaproxyFrames.notify(1, 1, builder.build()));
        SpopFrameDecoder decoder = new SpopFrameDecoder(16380, 8, 65536);
        List<Object> out = new ArrayList<>(1);
        Runnable decodes = () -> {
            for (int i = 0; i < DECODES; i++) {
                frame.readerIndex(0);
                out.clear();
                decoder.decode(null, frame, out);
                ((InboundFrame.Notify) out.get(0)).release();
            }
        };
        try {
            decodes.run();
            decodes.run();
            com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long before = threads.getCurrentThreadAllocatedBytes();
            decodes.run();
            long perDecode = (threads.getCurrentThreadAllocatedBytes() - before) / DECODES;
            assertThat(perDecode).as("bytes allocated per decode").isLessThan(200);
            assertThat(decoder.leasedPayloads()).isZero();
        }
        finally {
            frame.release();
        }
    }
}
