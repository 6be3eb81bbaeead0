package io.spoepolicy.testsupport;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway {@code redis-server} on a free loopback port, without persistence. {@link #stop()} and
 * {@link #start()} keep the port, so fault tests can take Redis away and bring it back under a
 * client that keeps its configured address.
 */
public final class RedisProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private final int port;
    private final Path directory;
    private final Path logFile;
    private Process process;

    private RedisProcess(int port) {
        this.port = port;
        this.directory = TempDirs.create("redis-");
        this.logFile = directory.resolve("redis.log");
    }

    /** Starts Redis on a fresh free port and waits for PONG. */
    public static RedisProcess startNew() {
        RedisProcess redis = new RedisProcess(FreePorts.next());
        try {
            redis.start();
            return redis;
        } catch (RuntimeException | Error e) {
            redis.close();
            throw e;
        }
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** (Re)starts on the same port; no-op while running. */
    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        List<String> command = List.of(Binaries.redisServer().toString(),
                "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", directory.toString());
        process = LoggedProcess.start(command, directory, logFile);
        await("redis PONG on port " + port).atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(50)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with code " + process.exitValue() + ":\n"
                        + log());
            }
            return pings();
        });
    }

    /** Terminates Redis (SIGTERM, then SIGKILL) and waits until the port refuses connections. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        await("redis port " + port + " closed").atMost(START_TIMEOUT).until(() -> !FreePorts.isListening(port));
    }

    public void restart() {
        stop();
        start();
    }

    /** True when Redis answers PING with PONG within a second. */
    public boolean pings() {
        try {
            return command("PING").equals("+PONG");
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    /**
     * Sends one inline command and returns the first reply line (e.g. {@code +OK}, {@code :3},
     * {@code $5}); enough for test setup such as {@code FLUSHALL} or {@code DBSIZE}.
     */
    public String command(String inlineCommand) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write((inlineCommand + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String line = in.readLine();
            if (line == null) {
                throw new IOException("redis closed the connection without answering " + inlineCommand);
            }
            return line;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String log() {
        try {
            return Files.exists(logFile) ? Files.readString(logFile) : "";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        try {
            if (process != null && process.isAlive()) {
                process.destroy();
                try {
                    if (!process.waitFor(5, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    process.destroyForcibly();
                }
            }
        } finally {
            TempDirs.deleteUnlessKept(directory);
        }
    }
}
