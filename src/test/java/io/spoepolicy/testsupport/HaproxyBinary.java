package io.spoepolicy.testsupport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Runs the {@code haproxy} binary for one-shot questions: its version, and whether a config is valid. */
public final class HaproxyBinary {

    /** A version question or a config check takes milliseconds; this only stops a hung binary. */
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static volatile HaproxyVersion cachedVersion;

    private HaproxyBinary() {
    }

    /** Exit code and combined output of {@code haproxy -c}. */
    public record CheckResult(int exitCode, String output) {

        public boolean valid() {
            return exitCode == 0;
        }
    }

    public static HaproxyVersion version() {
        HaproxyVersion version = cachedVersion;
        if (version == null) {
            version = HaproxyVersion.parse(run(Path.of("."), List.of("-v")).output());
            cachedVersion = version;
        }
        return version;
    }

    /** {@code haproxy -c -f <file>...} run from {@code workDir}, so relative paths behave as at startup. */
    public static CheckResult check(Path workDir, List<Path> configFiles) {
        List<String> args = new ArrayList<>(List.of("-c"));
        for (Path file : configFiles) {
            args.add("-f");
            args.add(file.toAbsolutePath().toString());
        }
        return run(workDir, args);
    }

    private static CheckResult run(Path workDir, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Binaries.haproxy().toString());
        command.addAll(args);
        try {
            CapturedCommand.Result result = CapturedCommand.run(command, workDir, TIMEOUT, CapturedCommand.OnTimeout.FAIL);
            return new CheckResult(result.exitCode(), result.output());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
