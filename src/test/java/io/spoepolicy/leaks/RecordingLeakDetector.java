package io.spoepolicy.leaks;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;

/**
 * Netty's leak detector, recording every leak report so tests can fail on them; installed for the
 * whole test JVM by {@code -Dio.netty.customResourceLeakDetector} in the Surefire configuration.
 * The queue is static because Netty instantiates detectors itself, one per resource type.
 */
public final class RecordingLeakDetector<T> extends ResourceLeakDetector<T> {

    private static final Queue<String> LEAKS = new ConcurrentLinkedQueue<>();

    public RecordingLeakDetector(Class<?> resourceType, int samplingInterval, long maxActive) {
        super(resourceType, samplingInterval, maxActive);
    }

    public RecordingLeakDetector(Class<?> resourceType, int samplingInterval) {
        super(resourceType, samplingInterval);
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
        LEAKS.add(resourceType + " leak:" + records);
        super.reportTracedLeak(resourceType, records);
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
        LEAKS.add(resourceType + " leak (untraced)");
        super.reportUntracedLeak(resourceType);
    }

    /**
     * Collects garbage and makes the detectors poll their queues, then returns and clears the
     * leaks reported so far. Detection is lazy: Netty only notices a collected, unreleased buffer
     * when another buffer is tracked, hence the allocations.
     */
    public static List<String> collectLeaks() {
        for (int round = 0; round < 3; round++) {
            System.gc();
            System.runFinalization();
            for (int i = 0; i < 64; i++) {
                ByteBuf probe = ByteBufAllocator.DEFAULT.buffer(16);
                probe.release();
                ByteBuf heap = ByteBufAllocator.DEFAULT.heapBuffer(16);
                heap.release();
            }
        }
        List<String> leaks = new ArrayList<>();
        String leak;
        while ((leak = LEAKS.poll()) != null) {
            leaks.add(leak);
        }
        return leaks;
    }

    /** True when the detector is installed in this JVM (it is under Surefire). */
    public static boolean installed() {
        return RecordingLeakDetector.class.getName().equals(System.getProperty("io.netty.customResourceLeakDetector"));
    }
}
