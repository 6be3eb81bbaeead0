package io.spoepolicy.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Starts an external program for a test the way the harness needs it: in its own directory, with
 * stdout and stderr appended to one log file (read back when it fails, and across restarts of the
 * same program) and stdin closed, so nothing waits on a pipe the test never drains.
 */
public final class LoggedProcess {

    private LoggedProcess() {
    }

    public static Process start(List<String> command, Path directory, Path logFile) {
        try {
            Process process = new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            process.getOutputStream().close();
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }
}
