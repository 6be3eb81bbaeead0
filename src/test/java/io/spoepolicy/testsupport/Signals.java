package io.spoepolicy.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/**
 * POSIX signals to processes this JVM started. {@link Process} only offers SIGTERM and SIGKILL,
 * while HAProxy uses SIGUSR1 for a soft stop and SIGUSR2 for a master-worker reload.
 */
public final class Signals {

    private Signals() {
    }

    public static void send(long pid, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                    .redirectErrorStream(true)
                    .start();
            if (!kill.waitFor(5, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
                throw new IllegalStateException("kill -" + signal + " " + pid + " did not return");
            }
            if (kill.exitValue() != 0) {
                String output = new String(kill.getInputStream().readAllBytes());
                throw new IllegalStateException("kill -" + signal + " " + pid + " failed: " + output.trim());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
