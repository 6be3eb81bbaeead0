package io.spoepolicy.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a short external command to its end and captures what it printed (stdout and stderr as one
 * stream), bounded in time. The output goes to a temporary file, not a pipe: reading a pipe to its
 * end before waiting blocks until the command exits, so the time bound would never apply, and a
 * command that fills a pipe nobody reads stalls. Stdin is closed.
 */
public final class CapturedCommand {

    /** What a run that outlives its time bound gives; the caller chooses, there is no default. */
    public enum OnTimeout {
        /** Kill it and throw, quoting what it printed: the caller cannot use a partial answer. */
        FAIL,
        /** Kill it and return what it printed so far, with {@link Result#timedOut()} set. */
        KEEP_OUTPUT
    }

    /**
     * @param exitCode the command's exit status (after a timeout, the status of the killed process)
     * @param output stdout and stderr interleaved as written, UTF-8
     * @param timedOut whether it was killed at the time bound
     */
    public record Result(int exitCode, String output, boolean timedOut) {
    }

    private static final Duration KILL_WAIT = Duration.ofSeconds(5);

    private CapturedCommand() {
    }

    /**
     * @param directory where it runs
     * @param timeout how long it may run
     * @throws IllegalStateException when it timed out and {@code onTimeout} is {@link OnTimeout#FAIL}
     * @throws UncheckedIOException when it cannot be started or its output read
     */
    public static Result run(List<String> command, Path directory, Duration timeout, OnTimeout onTimeout)
            throws InterruptedException {
        Path output;
        try {
            output = Files.createTempFile("command-", ".out");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Process process = LoggedProcess.start(command, directory, output);
            boolean finished;
            try {
                finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                process.destroyForcibly();
                throw e;
            }
            if (!finished) {
                process.destroyForcibly();
                process.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
            String text = new String(Files.readAllBytes(output), StandardCharsets.UTF_8);
            if (!finished && onTimeout == OnTimeout.FAIL) {
                throw new IllegalStateException(command + " did not finish within " + timeout + "; its output:\n" + text);
            }
            return new Result(process.isAlive() ? -1 : process.exitValue(), text, !finished);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                Files.deleteIfExists(output);
            } catch (IOException e) {
                // A temporary file left behind is not worth failing the caller for.
            }
        }
    }
}
