package io.spoepolicy.bench;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import com.sun.management.ThreadMXBean;

import io.spoepolicy.policy.DispatcherBenchmark;
import io.spoepolicy.policy.PolicyBenchmark;
import io.spoepolicy.protocol.CodecBenchmark;
import io.spoepolicy.protocol.VarintBenchmark;

/**
 * The JMH benchmark bodies timed in thread CPU time instead of wall time, with the thread's
 * allocated bytes. JMH's wall-clock average counts the time a forked JVM waits for a core, which
 * on a shared, overloaded machine inflates it many times; CPU time does not. Not a replacement
 * for JMH on an idle machine: no forks, no dead-code protection beyond a sink.
 */
public final class CpuTimeCheck {

    private static volatile int sink;

    private CpuTimeCheck() {
    }

    public static void main(String[] args) {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 5;
        CodecBenchmark codec = new CodecBenchmark();
        codec.setUp();
        VarintBenchmark varint = new VarintBenchmark();
        varint.setUp();
        DispatcherBenchmark dispatcher = new DispatcherBenchmark();
        dispatcher.setUp();
        PolicyBenchmark policy = new PolicyBenchmark();
        policy.setUp();
        Map<String, Supplier<Object>> cases = new LinkedHashMap<>();
        cases.put("decodeTypicalNotify", codec::decodeTypicalNotify);
        cases.put("decodeNotify8kHeaders", codec::decodeNotify8kHeaders);
        cases.put("decodeTypicalAndReadAll", codec::decodeTypicalAndReadAll);
        cases.put("encodeAck3SetVars", codec::encodeAck3SetVars);
        cases.put("varint decodeArray (x10)", varint::decodeArray);
        cases.put("varint encodeByteBuf (x10)", varint::encodeByteBuf);
        cases.put("dispatchAllowAll", dispatcher::dispatchAllowAll);
        cases.put("policy ipAccess", policy::ipAccess);
        cases.put("policy waf (CRS PL1)", policy::wafCrsParanoia1);
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        System.out.printf(Locale.ROOT, "CPU-time check, %d s per case after as much warm-up; JVM %s; load average %s%n",
                seconds, Runtime.version(), io.spoepolicy.loadgen.ProcCpu.loadAverage());
        for (Map.Entry<String, Supplier<Object>> entry : cases.entrySet()) {
            Supplier<Object> body = entry.getValue();
            run(body, threads.getCurrentThreadCpuTime() + seconds * 1_000_000_000L, threads);
            long cpu0 = threads.getCurrentThreadCpuTime();
            long bytes0 = threads.getThreadAllocatedBytes(id);
            long ops = run(body, cpu0 + seconds * 1_000_000_000L, threads);
            long cpu = threads.getCurrentThreadCpuTime() - cpu0;
            long bytes = threads.getThreadAllocatedBytes(id) - bytes0;
            System.out.printf(Locale.ROOT, "  %-28s %9.1f ns/op CPU  %7.0f B/op  (%d ops)%n", entry.getKey(),
                    (double) cpu / ops, (double) bytes / ops, ops);
        }
        dispatcher.tearDown();
        codec.tearDown();
        varint.tearDown();
    }

    private static long run(Supplier<Object> body, long cpuDeadline, ThreadMXBean threads) {
        long ops = 0;
        int hash = 0;
        while (threads.getCurrentThreadCpuTime() < cpuDeadline) {
            for (int i = 0; i < 10_000; i++) {
                hash += System.identityHashCode(body.get()) & 1;
            }
            ops += 10_000;
        }
        sink = hash;
        return ops;
    }
}
