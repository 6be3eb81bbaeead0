package io.spoepolicy.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * The agent in a JVM of its own, started from this test's classpath, for what a Spring context
 * inside the test JVM cannot show: being killed with SIGKILL. Output goes to {@code agent.log} in
 * a temporary directory.
 */
public final class ForkedAgent implements AutoCloseable {

    private final Process process;
    private final Path directory;
    private final Path log;
    private final int port;

    private ForkedAgent(Process process, Path directory, Path log, int port) {
        this.process = process;
        this.directory = directory;
        this.log = log;
        this.port = port;
    }

    /** Starts the agent on {@code 127.0.0.1:port} and returns once it listens there. */
    public static ForkedAgent start(int port, Duration startTimeout, String... properties) {
        Path directory = TempDirs.create("agent-");
        Path log = directory.resolve("agent.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), "io.spoepolicy.SpoePolicyApplication",
                "--spoe.server.host=127.0.0.1", "--spoe.server.port=" + port, "--server.port=0", "--management.server.port=0",
                "--spring.main.banner-mode=off"));
        for (String property : properties) {
            command.add("--" + property);
        }
        Process process = LoggedProcess.start(command, directory, log);
        ForkedAgent agent = new ForkedAgent(process, directory, log, port);
        try {
            await("forked agent listening on " + port).atMost(startTimeout).pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("forked agent exited:\n" + agent.logText());
                        }
                        return agent.logText().contains("SPOP agent listening");
                    });
        }
        catch (RuntimeException | Error ex) {
            agent.close();
            throw ex;
        }
        return agent;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no drain; the kernel closes every socket. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    public String logText() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
        TempDirs.deleteUnlessKept(directory);
    }
}
