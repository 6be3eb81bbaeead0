package io.spoepolicy.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;

import io.spoepolicy.loadgen.ProcCpu;
import io.spoepolicy.observability.ListenerBenchmark;
import io.spoepolicy.policy.DispatcherBenchmark;
import io.spoepolicy.policy.PolicyBenchmark;
import io.spoepolicy.protocol.CodecBenchmark;
import io.spoepolicy.protocol.VarintBenchmark;

/**
 * The JMH benchmark bodies timed in thread CPU time instead of wall time, with the thread's
 * allocated bytes. JMH's wall-clock average counts the time a forked JVM waits for a core, which
 * on a shared, overloaded machine inflates it many times; CPU time does not. Not a replacement
 * for JMH on an idle machine: no forks, no dead-code protection beyond a sink.
 *
 * <p>Arguments: seconds per case (5), then optionally a regular expression selecting cases by
 * name. Besides the calling thread's CPU, each case reports the whole process's CPU per
 * operation (which includes work handed to other threads, e.g. Lettuce's I/O threads, and the
 * JIT and GC) and the wall time per operation (the latency of a call that waits, e.g. Redis),
 * and the Redis case the redis-server's CPU per operation.
 */
public final class CpuTimeCheck {

    private static volatile int sink;

    private CpuTimeCheck() {
    }

    /** A case: its body, set-up and tear-down, and an optional external process whose CPU counts too. */
    private record Case(Supplier<Object> body, Runnable tearDown, LongSupplier externalCpuNanos) {
    }

    public static void main(String[] args) throws Exception {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 5;
        Pattern selected = Pattern.compile(args.length > 1 ? args[1] : ".*");
        Map<String, Supplier<Case>> cases = new LinkedHashMap<>();
        cases.put("decodeTypicalNotify", () -> codec(CodecBenchmark::decodeTypicalNotify));
        cases.put("decodeNotify8kHeaders", () -> codec(CodecBenchmark::decodeNotify8kHeaders));
        cases.put("decodeTypicalAndReadAll", () -> codec(CodecBenchmark::decodeTypicalAndReadAll));
        cases.put("encodeAck3SetVars", () -> codec(CodecBenchmark::encodeAck3SetVars));
        cases.put("varint decodeArray (x10)", () -> varint(VarintBenchmark::decodeArray));
        cases.put("varint encodeByteBuf (x10)", () -> varint(VarintBenchmark::encodeByteBuf));
        cases.put("dispatchAllowAll", () -> {
            DispatcherBenchmark dispatcher = new DispatcherBenchmark();
            dispatcher.setUp();
            return new Case(dispatcher::dispatchAllowAll, dispatcher::tearDown, null);
        });
        PolicyBenchmark policy = new PolicyBenchmark();
        cases.put("policy ipAccess", () -> policy(new PolicyBenchmark.IpAccessState(), policy::ipAccess));
        cases.put("policy waf (CRS PL1)", () -> policy(new PolicyBenchmark.WafState(), policy::wafCrsParanoia1));
        cases.put("policy rateLimit local hot key",
                () -> policy(new PolicyBenchmark.LocalRateLimitState(), policy::rateLimitLocalHotKey));
        cases.put("policy rateLimit local 64k keys cached",
                () -> policy(new PolicyBenchmark.LocalRateLimitState(), policy::rateLimitLocalManyKeysCached));
        cases.put("policy rateLimit local 64k keys evicting",
                () -> policy(new PolicyBenchmark.LocalRateLimitState(), policy::rateLimitLocalManyKeysEvicting));
        cases.put("policy rateLimit redis", () -> {
            PolicyBenchmark.RedisRateLimitState state = new PolicyBenchmark.RedisRateLimitState();
            Case redis = policy(state, policy::rateLimitRedis);
            long pid;
            try {
                pid = state.redisPid();
            }
            catch (RuntimeException ex) {
                redis.tearDown().run();
                throw ex;
            }
            return new Case(redis.body(), redis.tearDown(), () -> ProcCpu.nanos(pid));
        });
        cases.put("policy apiKey valid", () -> policy(new PolicyBenchmark.ApiKeyState(), policy::apiKeyValid));
        cases.put("policy apiKey wrong", () -> policy(new PolicyBenchmark.ApiKeyState(), policy::apiKeyWrong));
        cases.put("policy jwt RS256 valid", () -> policy(new PolicyBenchmark.JwtState(), policy::jwtRs256Valid));
        cases.put("policy jwt ES256 valid", () -> policy(new PolicyBenchmark.JwtState(), policy::jwtEs256Valid));
        cases.put("policy jwt RS256 valid cache hit",
                () -> policy(new PolicyBenchmark.JwtState(), policy::jwtRs256ValidCacheHit));
        cases.put("policy jwt ES256 valid cache hit",
                () -> policy(new PolicyBenchmark.JwtState(), policy::jwtEs256ValidCacheHit));
        cases.put("policy jwt expired", () -> policy(new PolicyBenchmark.JwtState(), policy::jwtExpired));
        cases.put("policy jwt forged signature", () -> policy(new PolicyBenchmark.JwtState(), policy::jwtForgedSignature));
        cases.put("default policy set (dispatcher)", () -> {
            PolicyBenchmark.DefaultSetState state = new PolicyBenchmark.DefaultSetState();
            Case dispatch = policy(state, policy::defaultPolicySet);
            System.out.println("  (default policy set: " + state.policiesText() + ")");
            return dispatch;
        });
        for (boolean histogram : new boolean[] {false, true}) {
            cases.put("listener decided+completed+acked" + (histogram ? ", policy histogram" : ""), () -> {
                ListenerBenchmark listeners = new ListenerBenchmark();
                listeners.policyDurationHistogram = histogram;
                listeners.setUp();
                return new Case(listeners::decidedCompletedAcknowledged, () -> { }, null);
            });
        }

        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long id = Thread.currentThread().getId();
        System.out.printf(Locale.ROOT, "CPU-time check, %d s per case after as much warm-up; JVM %s; load average %s%n",
                seconds, Runtime.version(), ProcCpu.loadAverage());
        List<String> skipped = new ArrayList<>();
        for (Map.Entry<String, Supplier<Case>> entry : cases.entrySet()) {
            if (!selected.matcher(entry.getKey()).find()) {
                skipped.add(entry.getKey());
                continue;
            }
            Case current = entry.getValue().get();
            try {
                Supplier<Object> body = current.body();
                run(body, threads.getCurrentThreadCpuTime() + seconds * 1_000_000_000L, threads);
                long external0 = current.externalCpuNanos() == null ? 0 : current.externalCpuNanos().getAsLong();
                long wall0 = System.nanoTime();
                long process0 = os.getProcessCpuTime();
                long cpu0 = threads.getCurrentThreadCpuTime();
                long bytes0 = threads.getThreadAllocatedBytes(id);
                long ops = run(body, cpu0 + seconds * 1_000_000_000L, threads);
                long cpu = threads.getCurrentThreadCpuTime() - cpu0;
                long bytes = threads.getThreadAllocatedBytes(id) - bytes0;
                long process = os.getProcessCpuTime() - process0;
                long wall = System.nanoTime() - wall0;
                String external = current.externalCpuNanos() == null ? ""
                        : String.format(Locale.ROOT, "  redis-server %.0f ns/op CPU",
                                (double) (current.externalCpuNanos().getAsLong() - external0) / ops);
                System.out.printf(Locale.ROOT, "  %-42s %11.1f ns/op CPU  %7.0f B/op  process %11.1f ns/op CPU"
                        + "  wall %11.1f ns/op%s  (%d ops)%n", entry.getKey(), (double) cpu / ops, (double) bytes / ops,
                        (double) process / ops, (double) wall / ops, external, ops);
            }
            finally {
                current.tearDown().run();
            }
        }
        if (!skipped.isEmpty()) {
            System.out.println("  (not selected: " + String.join(", ", skipped) + ")");
        }
        System.out.printf(Locale.ROOT, "load average after: %s%n", ProcCpu.loadAverage());
        System.exit(0);
    }

    private static Case codec(Function<CodecBenchmark, Object> body) {
        CodecBenchmark codec = new CodecBenchmark();
        codec.setUp();
        return new Case(() -> body.apply(codec), codec::tearDown, null);
    }

    private static Case varint(Function<VarintBenchmark, Object> body) {
        VarintBenchmark varint = new VarintBenchmark();
        varint.setUp();
        return new Case(() -> body.apply(varint), varint::tearDown, null);
    }

    /** A case on a policy state: JMH's set-up first, its tear-down after. */
    private static <S extends PolicyBenchmark.PolicyState> Case policy(S state, Function<S, Object> body) {
        try {
            state.setUp();
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
        return new Case(() -> body.apply(state), () -> {
            try {
                state.tearDown();
            }
            catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        }, null);
    }

    /** Runs the body in batches until the thread's CPU time passes the deadline; batches shrink for slow bodies. */
    private static long run(Supplier<Object> body, long cpuDeadline, ThreadMXBean threads) {
        long ops = 0;
        int hash = 0;
        int batch = 1;
        while (threads.getCurrentThreadCpuTime() < cpuDeadline) {
            long start = System.nanoTime();
            for (int i = 0; i < batch; i++) {
                hash += System.identityHashCode(body.get()) & 1;
            }
            ops += batch;
            // Aim at batches of about 10 ms, so a slow body (the WAF, Redis) still stops near the deadline.
            if (System.nanoTime() - start < 10_000_000L && batch < 100_000) {
                batch *= 2;
            }
        }
        sink = hash;
        return ops;
    }
}
