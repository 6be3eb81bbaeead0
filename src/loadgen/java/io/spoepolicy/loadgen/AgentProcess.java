package io.spoepolicy.loadgen;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.spoepolicy.testsupport.CapturedCommand;
import io.spoepolicy.testsupport.FreePorts;
import io.spoepolicy.testsupport.LoggedProcess;

/**
 * An agent (the service, or the no-op reference agent) in its own JVM on this machine's loopback,
 * started from the benchmark's own class path. Its CPU time is read from {@code /proc}, so the
 * figures are the agent's alone, not the load tool's.
 */
public final class AgentProcess implements AutoCloseable {

    /** The service's entry point. */
    public static final String SERVICE = "io.spoepolicy.SpoePolicyApplication";

    private final Process process;
    private final int port;
    private final long startupNanos;
    private final Path log;

    private AgentProcess(Process process, int port, long startupNanos, Path log) {
        this.process = process;
        this.port = port;
        this.startupNanos = startupNanos;
        this.log = log;
    }

    /**
     * Starts {@code mainClass} with {@code --spoe.server.port=PORT} (the service) or
     * {@code --port=PORT} (the no-op agent) and waits, bounded, until the port accepts.
     */
    public static AgentProcess start(String java, List<String> jvmArgs, String mainClass, List<String> appArgs,
            Duration readyTimeout) throws IOException, InterruptedException {
        int port = FreePorts.next();
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        if (mainClass.equals(SERVICE)) {
            command.add("--spoe.server.host=127.0.0.1");
            command.add("--spoe.server.port=" + port);
            command.add("--server.port=0");
            // Two services run side by side: the management port (8081 by default) must not collide.
            command.add("--management.server.port=0");
            // Benchmarks stop the agent right away; the drain is measured elsewhere.
            command.add("--spoe.server.drain.window=0s");
            command.add("--spoe.server.drain.quiet-period=10ms");
            command.add("--spoe.server.drain.linger=200ms");
            command.add("--spoe.server.drain.deadline=1s");
        }
        else {
            command.add("--port=" + port);
        }
        command.addAll(appArgs);
        return start(command, port, readyTimeout);
    }

    /** Runs {@code command} (which must make the agent listen on {@code port}) and waits until it accepts. */
    public static AgentProcess start(List<String> command, int port, Duration readyTimeout)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("bench-agent-", ".log");
        long start = System.nanoTime();
        Process process = LoggedProcess.start(command, Path.of("."), log);
        LocalProcesses.awaitListening("agent", process, log, readyTimeout, List.of(port));
        return new AgentProcess(process, port, System.nanoTime() - start, log);
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /** From spawning the JVM to the SPOP port accepting connections. */
    public Duration startup() {
        return Duration.ofNanos(startupNanos);
    }

    public Path log() {
        return log;
    }

    /** User plus system CPU time of the agent so far, from {@code /proc/PID/stat}. */
    public long cpuNanos() {
        return ProcCpu.nanos(process.pid());
    }

    /** Runs {@code jcmd PID args} and returns its output. */
    public String jcmd(String java, String... args) throws IOException, InterruptedException {
        return tool(java, "jcmd", List.of(Long.toString(process.pid())), args);
    }

    /** Runs {@code jstat OPTION PID} and returns its output. */
    public String jstat(String java, String option) throws IOException, InterruptedException {
        return tool(java, "jstat", List.of(option, Long.toString(process.pid())));
    }

    /** A diagnostic: what the tool printed, even when it hung and was killed. */
    private String tool(String java, String name, List<String> before, String... args) throws InterruptedException {
        Path jcmd = Path.of(java).resolveSibling(name);
        List<String> command = new ArrayList<>();
        command.add(jcmd.toString());
        command.addAll(before);
        command.addAll(List.of(args));
        return CapturedCommand.run(command, Path.of("."), Duration.ofSeconds(30), CapturedCommand.OnTimeout.KEEP_OUTPUT)
                .output();
    }

    @Override
    public void close() throws InterruptedException {
        LocalProcesses.stop(process, Duration.ofSeconds(15));
    }

    /** A line of the agent's log that contains {@code text}, or {@code null}. */
    public String logLine(String text) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(Files.newInputStream(log),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.contains(text)) {
                    return line;
                }
            }
            return null;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
