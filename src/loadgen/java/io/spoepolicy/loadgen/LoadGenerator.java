package io.spoepolicy.loadgen;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import com.sun.management.OperatingSystemMXBean;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import org.HdrHistogram.Histogram;

import io.spoepolicy.protocol.SpopMessage;
import io.spoepolicy.testsupport.BenchMessages;

/**
 * SPOP load generator: plays HAProxy against an agent on loopback with {@code C} connections and
 * {@code D} pipelined NOTIFYs each, for a fixed time after a warm-up, and reports messages per
 * second, latency percentiles and the agent's CPU time per message (from {@code /proc}).
 *
 * <p>By default it starts the agent itself, in its own JVM from the same class path
 * ({@code --target=service} or {@code --target=noop}); {@code --target=external --port=N
 * --pid=P} measures an agent started by hand. See BENCHMARKS.md.
 */
public final class LoadGenerator {

    private LoadGenerator() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        String target = args.string("target", "service", "service | noop | external");
        AgentSetup setup = AgentSetup.parse(args.string("policies", "allow-all", "allow-all | default | waf (default + CRS PL1; service only)"));
        String java = args.string("java", ProcessHandle.current().info().command().orElse("java"),
                "java binary for the agent JVM");
        List<String> agentJvm = args.list("agent-jvm", "-Xms512m -Xmx512m", "agent JVM flags");
        List<String> agentArgs = args.list("agent-args", "", "extra agent arguments (--name=value ...)");
        int externalPort = args.integer("port", 0, "agent port with --target=external");
        long externalPid = args.integer("pid", 0, "agent pid with --target=external (for CPU time)");
        int connections = args.integer("connections", 4, "SPOP connections");
        int depth = args.integer("depth", 20, "NOTIFYs in flight per connection (HAProxy 3.x: at most 20)");
        int threads = args.integer("threads", 1, "load generator event-loop threads");
        String messageName = args.string("message", "typical", "typical | big | minimal");
        Duration warmup = args.duration("warmup", "10s", "warm-up before measuring");
        Duration duration = args.duration("duration", "30s", "measured time");
        boolean memory = args.flag("memory", "old gen after full GC and NMT direct memory at start and end");
        String profile = args.string("profile", "", "async-profiler output file in the agent (.html or .collapsed)");
        String profileEvent = args.string("profile-event", "cpu", "cpu | itimer | alloc | wall");
        args.checkUnknown();
        if (duration.compareTo(Duration.ofMinutes(30)) > 0) {
            throw new IllegalArgumentException("--duration is capped at 30m");
        }

        SpopMessage message = BenchMessages.named(messageName);
        byte[] payload = BenchMessages.payload(message);
        System.out.printf(Locale.ROOT, "load: load average %s, %d CPUs, JVM %s %s%n", ProcCpu.loadAverage(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"), Runtime.version());

        AgentProcess agent = null;
        int port = externalPort;
        long pid = externalPid;
        if (!target.equals("external")) {
            List<String> jvm = new ArrayList<>(agentJvm);
            List<String> extra = new ArrayList<>();
            if (memory) {
                jvm.add("-XX:NativeMemoryTracking=summary");
            }
            if (!profile.isEmpty()) {
                extra.add(ProfilerControl.class.getName());
                jvm.add("-Dbench.profile.file=" + profile);
                jvm.add("-Dbench.profile.delay=" + warmup.plusSeconds(1));
                jvm.add("-Dbench.profile.duration=" + duration.minusSeconds(2));
                jvm.add("-Dbench.profile.event=" + profileEvent);
            }
            String main = target.equals("noop") ? NoopAgent.class.getName() : AgentProcess.SERVICE;
            List<String> app = new ArrayList<>(target.equals("noop") ? List.of() : setup.appArgs(extra));
            app.addAll(agentArgs);
            agent = AgentProcess.start(java, jvm, main, app, Duration.ofSeconds(90));
            port = agent.port();
            pid = agent.pid();
            System.out.printf(Locale.ROOT, "agent: %s pid %d, %s%s, JVM flags %s%n", target, pid,
                    target.equals("noop") ? "no-op responder" : "policies " + setup.name().toLowerCase(Locale.ROOT),
                    agentArgs.isEmpty() ? "" : " " + agentArgs, jvm);
            System.out.printf(Locale.ROOT, "agent: ready (SPOP port accepting) %d ms after spawn%s%n",
                    agent.startup().toMillis(), startedLine(agent));
        }
        try {
            run(port, pid, agent, java, connections, depth, threads, messageName, payload, warmup, duration, memory);
        }
        finally {
            if (agent != null) {
                agent.close();
            }
        }
    }

    private static String startedLine(AgentProcess agent) {
        String line = agent.logLine("Started ");
        return line == null ? "" : "; Spring: " + line.substring(line.indexOf("Started "));
    }

    private static void run(int port, long pid, AgentProcess agent, String java, int connections, int depth,
            int threads, String messageName, byte[] payload, Duration warmup, Duration duration, boolean memory)
            throws Exception {
        LoadRun run = new LoadRun();
        List<LoadConnection> handlers = new ArrayList<>();
        List<Channel> channels = new ArrayList<>();
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, io);
        try {
            Bootstrap bootstrap = new Bootstrap().group(group)
                    .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true);
            for (int i = 0; i < connections; i++) {
                LoadConnection handler = new LoadConnection(run, depth, payload);
                handlers.add(handler);
                Channel channel = bootstrap.handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(1 << 20, 0, 4, 0, 4), handler);
                    }
                }).connect("127.0.0.1", port).sync().channel();
                channels.add(channel);
            }
            long handshakeDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (run.connected.get() < connections && System.nanoTime() < handshakeDeadline) {
                Thread.sleep(10);
            }
            if (run.connected.get() < connections) {
                throw new IllegalStateException("only " + run.connected.get() + " of " + connections + " handshakes");
            }
            System.out.printf(Locale.ROOT, "run: %d connections x depth %d, message %s (%d payload bytes), "
                    + "warm-up %ds, measured %ds, %d loader thread(s), %s%n", connections, depth, messageName,
                    payload.length, warmup.toSeconds(), duration.toSeconds(), threads, epoll ? "epoll" : "nio");
            Thread.sleep(warmup.toMillis());
            if (memory) {
                memoryReport("start", agent, java);
            }
            OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            String loadBefore = ProcCpu.loadAverage();
            long agentCpu0 = pid > 0 ? ProcCpu.nanos(pid) : 0;
            long selfCpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            run.measuring = true;
            long end = t0 + duration.toNanos();
            long nextProgress = t0 + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < end) {
                Thread.sleep(Math.max(1, Math.min(1000, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
                if (memory && System.nanoTime() >= nextProgress && agent != null) {
                    System.out.printf(Locale.ROOT, "progress: %ds, agent heap %s%n",
                            TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0), heapUsed(agent.jcmd(java, "GC.heap_info")));
                    nextProgress += TimeUnit.SECONDS.toNanos(60);
                }
            }
            run.measuring = false;
            long t1 = System.nanoTime();
            long agentCpu1 = pid > 0 ? ProcCpu.nanos(pid) : 0;
            long selfCpu1 = os.getProcessCpuTime();
            String loadAfter = ProcCpu.loadAverage();
            if (memory) {
                memoryReport("end", agent, java);
            }
            run.sending = false;

            Histogram latency = new Histogram(60_000_000_000L, 3);
            long acks = 0;
            long aborted = 0;
            for (int i = 0; i < handlers.size(); i++) {
                LoadConnection handler = handlers.get(i);
                LoadConnection.Snapshot snapshot = channels.get(i).eventLoop().submit(handler::snapshot).get();
                latency.add(snapshot.histogram());
                acks += snapshot.acks();
                aborted += snapshot.aborted();
            }
            double seconds = (t1 - t0) / 1e9;
            double rate = acks / seconds;
            double agentCpuPerMsg = acks == 0 ? 0 : (agentCpu1 - agentCpu0) / 1e3 / acks;
            System.out.printf(Locale.ROOT, "result: %.0f NOTIFY/s (%d ACKs in %.1fs), %d aborted, %d disconnects%n",
                    rate, acks, seconds, aborted, run.disconnects.get());
            System.out.printf(Locale.ROOT, "latency (us): p50 %.0f  p90 %.0f  p99 %.0f  p99.9 %.0f  max %.0f%n",
                    us(latency, 50), us(latency, 90), us(latency, 99), us(latency, 99.9), latency.getMaxValue() / 1e3);
            if (pid > 0) {
                System.out.printf(Locale.ROOT, "agent CPU: %.2f us per NOTIFY, %.0f%% of one core%n", agentCpuPerMsg,
                        100.0 * (agentCpu1 - agentCpu0) / (t1 - t0));
            }
            System.out.printf(Locale.ROOT, "load generator CPU: %.0f%% of one core; load average before %s, after %s%n",
                    100.0 * (selfCpu1 - selfCpu0) / (t1 - t0), loadBefore, loadAfter);
            System.out.printf(Locale.ROOT, "RESULT rate=%.0f p50us=%.0f p99us=%.0f p999us=%.0f agentCpuUsPerMsg=%.2f "
                    + "conns=%d depth=%d message=%s load=%s%n", rate, us(latency, 50), us(latency, 99), us(latency, 99.9),
                    agentCpuPerMsg, connections, depth, messageName, loadBefore.split(" ")[0]);
            if (run.failure.get() != null) {
                System.out.println("failure: " + run.failure.get());
            }
            long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (System.nanoTime() < drainDeadline && inFlight(handlers, channels) > 0) {
                Thread.sleep(20);
            }
            for (Channel channel : channels) {
                channel.close().await(2, TimeUnit.SECONDS);
            }
        }
        finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        }
    }

    private static int inFlight(List<LoadConnection> handlers, List<Channel> channels) throws Exception {
        int total = 0;
        for (int i = 0; i < handlers.size(); i++) {
            if (channels.get(i).isActive()) {
                total += channels.get(i).eventLoop().submit(handlers.get(i)::snapshot).get().inFlight();
            }
        }
        return total;
    }

    private static double us(Histogram histogram, double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1e3;
    }

    private static void memoryReport(String when, AgentProcess agent, String java) throws Exception {
        if (agent == null) {
            System.out.println("memory: only for agents this tool started");
            return;
        }
        agent.jcmd(java, "GC.run");
        // Old-gen occupancy right after the full GC is the live set; the young generation
        // refills within a second at full load, so the heap total would hide it.
        String old = agent.jstat(java, "-gcold");
        String nmt = agent.jcmd(java, "VM.native_memory", "summary");
        System.out.printf(Locale.ROOT, "memory %s: old gen after full GC %s KB (jstat -gcold: %s); NMT %s%n", when,
                oldUsed(old), old.trim().replaceAll("\\s+", " "), nmtLine(nmt, "Other") + ", " + nmtLine(nmt, "Total"));
    }

    /** The OU column of {@code jstat -gcold}. */
    private static String oldUsed(String jstat) {
        String[] lines = jstat.trim().split("\n");
        if (lines.length < 2) {
            return "?";
        }
        List<String> header = List.of(lines[0].trim().split("\\s+"));
        String[] values = lines[lines.length - 1].trim().split("\\s+");
        int index = header.indexOf("OU");
        return index >= 0 && index < values.length ? values[index] : "?";
    }

    private static String heapUsed(String heapInfo) {
        for (String line : heapInfo.split("\n")) {
            if (line.contains("total") && line.contains("used")) {
                return line.trim().replaceAll("\\s+\\[.*", "");
            }
        }
        return heapInfo.trim();
    }

    private static String nmtLine(String nmt, String category) {
        for (String line : nmt.split("\n")) {
            String trimmed = line.replace("-", "").trim();
            if (trimmed.startsWith(category + " (") || trimmed.startsWith(category + ":")) {
                return trimmed.replaceAll("\\s+", " ");
            }
        }
        return category + " n/a";
    }
}
