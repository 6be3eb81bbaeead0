package io.spoepolicy.testsupport;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A real HAProxy process for end-to-end tests.
 *
 * <p>{@link #start} renders the configuration into a fresh directory, adds a log target into the
 * harness's {@value #LOG_RING} ring before it and {@code harness.cfg} after it (an admin stats socket,
 * a {@code hard-stop-after} so a soft stop is bounded, and the ring), validates everything
 * with {@code haproxy -c}, starts HAProxy in the foreground ({@code -db}) or in master-worker mode
 * ({@code -W -db -S master.sock}) with stdout and stderr in {@code haproxy.log}, and returns once the
 * awaited ports accept connections and the runtime API answers. {@link #close} soft-stops by pid
 * (SIGUSR1), then terminates, then kills whatever is left of the process tree.
 *
 * <p>Why a ring: HAProxy writes {@code log stdout} lines without ever blocking, and when two of its
 * threads log at the same instant the one that cannot take the fd within a few hundred spins drops
 * its line (counted as {@code DroppedLogs} in {@code show info}). A burst of concurrent requests
 * loses a few lines that way: 5 to 26 in 27 000 to 51 000 here, on 2.6.12 and 3.2.23, more on a
 * busier machine. A ring takes a lock instead, so it loses none until it is full, and
 * {@link #spoeLogLines()} reads it where that is complete (see there).
 */
public final class HaproxyProcess implements AutoCloseable {

    public enum Mode { FOREGROUND, MASTER_WORKER }

    private static final Duration CLI_TIMEOUT = Duration.ofSeconds(5);
    private static final String LOG_RING = "harness-log";
    /** 16 MB: some 80 000 log lines, many times what any test sends through one process. */
    private static final int LOG_RING_BYTES = 16 * 1024 * 1024;
    private static final Duration SOFT_STOP_WAIT = Duration.ofSeconds(8);

    private final Path directory;
    private final Mode mode;
    private final Path adminSocket;
    private final Path masterSocket;
    private final Path logFile;
    private final Duration startTimeout;
    private Process process;

    private HaproxyProcess(Path directory, Mode mode, Duration startTimeout) {
        this.directory = directory;
        this.mode = mode;
        this.startTimeout = startTimeout;
        this.adminSocket = directory.resolve("admin.sock");
        this.masterSocket = directory.resolve("master.sock");
        this.logFile = directory.resolve("haproxy.log");
    }

    public static Builder builder(HaproxyConfig config) {
        return new Builder(config);
    }

    /** Foreground process awaiting {@code FRONTEND_PORT} if the config has that token. */
    public static HaproxyProcess start(HaproxyConfig config) {
        return builder(config).start();
    }

    public static final class Builder {
        private final HaproxyConfig config;
        private Mode mode = Mode.FOREGROUND;
        private final Set<Integer> awaitedPorts = new LinkedHashSet<>();
        private Duration startTimeout = Duration.ofSeconds(20);

        private Builder(HaproxyConfig config) {
            this.config = config;
            String frontend = config.tokens().get(QuickStart.FRONTEND_PORT);
            if (frontend != null) {
                awaitedPorts.add(Integer.parseInt(frontend));
            }
        }

        public Builder masterWorker() {
            this.mode = Mode.MASTER_WORKER;
            return this;
        }

        public Builder awaitPort(int port) {
            awaitedPorts.add(port);
            return this;
        }

        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        public HaproxyProcess start() {
            HaproxyProcess haproxy = new HaproxyProcess(TempDirs.create("haproxy-"), mode, startTimeout);
            try {
                haproxy.launch(config, awaitedPorts);
                return haproxy;
            } catch (RuntimeException | Error e) {
                haproxy.close();
                throw e;
            }
        }
    }

    private void launch(HaproxyConfig config, Set<Integer> awaitedPorts) {
        Path mainFile = config.writeTo(directory);
        // The log target comes first, as "log global" copies the global targets declared before
        // it; a global section holding nothing else leaves 3.x's rule (thread settings in the first
        // global section) to the main file. harness.cfg comes last, so its settings win.
        List<Path> configFiles = List.of(writeHarnessLogTarget(), mainFile, writeHarnessConfig());
        HaproxyBinary.CheckResult check = HaproxyBinary.check(directory, configFiles);
        if (!check.valid()) {
            throw new IllegalStateException("haproxy -c rejected the configuration in " + directory + ":\n"
                    + check.output());
        }
        List<String> command = new ArrayList<>(List.of(Binaries.haproxy().toString()));
        if (mode == Mode.MASTER_WORKER) {
            command.addAll(List.of("-W", "-S", masterSocket.toString()));
        }
        command.add("-db");
        for (Path file : configFiles) {
            command.addAll(List.of("-f", file.toString()));
        }
        process = LoggedProcess.start(command, directory, logFile);
        // The sockets appear before HAProxy listens on them: refusals mean "not yet".
        await("haproxy ready").atMost(startTimeout).pollInterval(Duration.ofMillis(50))
                .ignoreExceptionsInstanceOf(UncheckedIOException.class)
                .until(() -> {
            ensureAlive();
            return awaitedPorts.stream().allMatch(FreePorts::isListening) && runtimeApiAnswers()
                    && (mode == Mode.FOREGROUND || !workerPids().isEmpty());
        });
    }

    private Path writeHarnessLogTarget() {
        return writeHarnessFile("harness-log.cfg", """
                # Added by HaproxyProcess: every log line into a ring as well, which loses none.
                global
                    log ring@%s local0 info
                """.formatted(LOG_RING));
    }

    private Path writeHarnessConfig() {
        return writeHarnessFile("harness.cfg", """
                # Added by HaproxyProcess: runtime API for tests, a bound on soft stops, and the ring
                # behind the log target of harness-log.cfg.
                global
                    stats socket %s mode 600 level admin
                    hard-stop-after 5s

                ring %s
                    format raw
                    maxlen 8192
                    size %d
                """.formatted(adminSocket, LOG_RING, LOG_RING_BYTES));
    }

    private Path writeHarnessFile(String name, String text) {
        Path file = directory.resolve(name);
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    private boolean runtimeApiAnswers() {
        try {
            return Files.exists(adminSocket) && runtimeCommand("show info").contains("Pid:");
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    private void ensureAlive() {
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException("haproxy exited"
                    + (process == null ? "" : " with code " + process.exitValue()) + ":\n" + logTail(40));
        }
    }

    /** The pid of the process this harness started: the master in master-worker mode. */
    public long pid() {
        return process.pid();
    }

    public Mode mode() {
        return mode;
    }

    public Path directory() {
        return directory;
    }

    public Path logFile() {
        return logFile;
    }

    public HaproxyVersion version() {
        return HaproxyBinary.version();
    }

    /** A runtime API command on the admin stats socket of the current worker. */
    public String runtimeCommand(String command) {
        return UnixSocketCli.send(adminSocket, command, CLI_TIMEOUT);
    }

    /** A master CLI command; master-worker mode only. */
    public String masterCommand(String command) {
        if (mode != Mode.MASTER_WORKER) {
            throw new IllegalStateException("the master CLI exists in master-worker mode only");
        }
        return UnixSocketCli.send(masterSocket, command, CLI_TIMEOUT);
    }

    /** Pids in the "# workers" section of the master's {@code show proc} (current, not old, workers). */
    public Set<Long> workerPids() {
        Set<Long> pids = new LinkedHashSet<>();
        boolean inWorkers = false;
        for (String line : masterCommand("show proc").split("\n")) {
            if (line.startsWith("#")) {
                inWorkers = line.trim().equals("# workers");
                continue;
            }
            String[] columns = line.trim().split("\\s+");
            if (inWorkers && columns.length > 1 && columns[1].equals("worker")) {
                pids.add(Long.parseLong(columns[0]));
            }
        }
        return pids;
    }

    /** Reloads through the master CLI and returns once a new worker serves the runtime API. */
    public void reload() {
        reloadWith(() -> masterCommand("reload"));
    }

    /** Reloads by sending SIGUSR2 to the master and returns once a new worker serves the runtime API. */
    public void reloadWithSignal() {
        reloadWith(() -> Signals.send(pid(), "USR2"));
    }

    private void reloadWith(Runnable trigger) {
        Set<Long> before = workerPids();
        trigger.run();
        await("new haproxy worker after reload").atMost(startTimeout).pollInterval(Duration.ofMillis(50))
                .ignoreExceptionsInstanceOf(UncheckedIOException.class)
                .until(() -> {
                    ensureAlive();
                    Set<Long> now = workerPids();
                    return !now.isEmpty() && now.stream().noneMatch(before::contains)
                            && runtimeCommand("show info").contains("Pid: " + now.iterator().next() + "\n");
                });
    }

    public StatTable stats() {
        return StatTable.parse(runtimeCommand("show stat"));
    }

    public ServerState serverState(String backend, String server) {
        return ServerState.fromStatus(stats().field(backend, server, "status"));
    }

    /**
     * Polls {@code show stat} until the server is in the state. A poll whose runtime API exchange
     * fails counts as "not yet" instead of failing the wait: the CLI answers from the same threads as
     * the traffic and can miss {@link #CLI_TIMEOUT} on a starved machine, and while a master-worker
     * process reloads (some tests reload from another thread while they wait) the socket changes
     * hands between workers. A wait that never sees the state still fails at {@code timeout}.
     */
    public void awaitServerState(String backend, String server, ServerState expected, Duration timeout) {
        await(backend + "/" + server + " " + expected).atMost(timeout).pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsInstanceOf(UncheckedIOException.class)
                .until(() -> serverState(backend, server) == expected);
    }

    /** Everything HAProxy printed so far (its log lines and its own notices). */
    public List<String> logLines() {
        try {
            if (!Files.exists(logFile)) {
                return List.of();
            }
            return new String(Files.readAllBytes(logFile), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The SPOE event lines HAProxy logged so far, in order. A foreground process's come from the
     * harness ring, which holds every one of them. In master-worker mode, and once the process has
     * exited, they come from {@code haproxy.log}: a reload starts a worker with an empty ring, so
     * only the file spans all workers, and it misses the lines HAProxy dropped on a collision
     * ({@code DroppedLogs} in the worker's {@code show info} counts them).
     */
    public List<SpoeLogLine> spoeLogLines() {
        if (mode == Mode.FOREGROUND && process.isAlive()) {
            return SpoeLogLine.parseAll(runtimeCommand("show events " + LOG_RING).lines().toList());
        }
        return SpoeLogLine.parseAll(logLines());
    }

    /**
     * Waits until at least {@code count} SPOE event lines were logged and returns all of them.
     * HAProxy logs on its own schedule; and a foreground process's lines are read from the ring
     * over the runtime API, where an exchange that fails on a starved machine is a poll that saw
     * nothing, not a failure: the bound still ends the wait.
     */
    public List<SpoeLogLine> awaitSpoeLines(int count, Duration timeout) {
        return await(count + " SPOE log lines").atMost(timeout)
                .ignoreExceptionsInstanceOf(UncheckedIOException.class)
                .until(this::spoeLogLines, lines -> lines.size() >= count);
    }

    /** The {@code st=} value of every SPOE log line so far, in order. */
    public List<Integer> spoeStatuses() {
        return spoeLogLines().stream().map(SpoeLogLine::status).toList();
    }

    public String logTail(int lines) {
        List<String> all = logLines();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    @Override
    public void close() {
        try {
            stopProcessTree();
        } finally {
            TempDirs.deleteUnlessKept(directory);
        }
    }

    private void stopProcessTree() {
        if (process == null) {
            return;
        }
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        if (process.isAlive()) {
            try {
                Signals.send(process.pid(), "USR1");
            } catch (RuntimeException e) {
                // It may have exited in between; the escalation below handles every case.
            }
        }
        waitForExit(SOFT_STOP_WAIT);
        if (process.isAlive()) {
            process.destroy();
            waitForExit(Duration.ofSeconds(3));
        }
        // Workers of a master that died are orphans we started: kill them by their pids.
        for (ProcessHandle handle : tree) {
            if (handle.isAlive()) {
                handle.destroyForcibly();
            }
        }
    }

    private void waitForExit(Duration timeout) {
        try {
            process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "haproxy[pid=" + (process == null ? "-" : process.pid()) + ", " + mode + ", " + directory + "]";
    }
}
