package io.spoepolicy.hardening;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.OperatingSystemMXBean;

import io.netty.util.internal.PlatformDependent;

/**
 * What a storm could leak, measured in this JVM: heap in use after garbage collection, live
 * threads (all, and the agent's own by name), open file descriptors and Netty's direct memory.
 */
record ResourceSnapshot(long heapBytes, int threads, int agentThreads, long fileDescriptors, long directBytes,
        int sessions) {

    /** Thread name prefixes of the agent's pools: SPOP event loops, policy scheduler, Reactor. */
    private static final String[] AGENT_THREADS = {"spoe", "reactor-", "parallel-", "boundedElastic-"};

    /** @param sessions open SPOP sessions now (each holds a file descriptor) */
    static ResourceSnapshot take(int sessions) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        int agentThreads = 0;
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            for (String prefix : AGENT_THREADS) {
                if (thread.getName().startsWith(prefix)) {
                    agentThreads++;
                    break;
                }
            }
        }
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        long fds = os instanceof com.sun.management.UnixOperatingSystemMXBean unix ? unix.getOpenFileDescriptorCount() : -1;
        return new ResourceSnapshot(memory.getHeapMemoryUsage().getUsed(), ManagementFactory.getThreadMXBean().getThreadCount(),
                agentThreads, fds, PlatformDependent.usedDirectMemory(), sessions);
    }

    /** File descriptors other than SPOP connections (HAProxy may keep more connections open after load). */
    long otherFileDescriptors() {
        return fileDescriptors - sessions;
    }

    String describe() {
        return String.format("heap %.1f MiB, threads %d (agent %d), fds %d with %d SPOP sessions, Netty direct %.1f MiB",
                heapBytes / 1048576.0, threads, agentThreads, fileDescriptors, sessions, directBytes / 1048576.0);
    }
}
