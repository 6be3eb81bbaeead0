package io.spoepolicy.loadgen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.spoepolicy.testsupport.FreePorts;

/**
 * Waiting for and stopping the programs a benchmark starts on loopback (agents, HAProxy): every
 * wait is bounded and a program that does not stop when asked is killed.
 */
final class LocalProcesses {

    private LocalProcesses() {
    }

    /**
     * Returns once every port of {@code ports} accepts connections on 127.0.0.1; throws with the
     * end of {@code log} if {@code process} exits first or {@code timeout} passes (then kills it).
     */
    static void awaitListening(String name, Process process, Path log, Duration timeout, Collection<Integer> ports)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int port : ports) {
            while (!FreePorts.isListening(port)) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(name + " exited with " + process.exitValue() + "; log: " + log
                            + "\n" + tail(log));
                }
                if (System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IllegalStateException(name + " not listening on " + port + " after " + timeout
                            + "; log: " + log + "\n" + tail(log));
                }
                Thread.sleep(20);
            }
        }
    }

    /** SIGTERM, {@code grace} to exit, then SIGKILL and a few seconds for the kernel to reap it. */
    static void stop(Process process, Duration grace) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** The last 30 lines of a program's log, for an error message. */
    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        }
        catch (IOException ex) {
            return "(log unreadable: " + ex + ")";
        }
    }
}
