package io.spoepolicy.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the {@code haproxy} binary for one-shot questions: its version, and whether a config is valid. */
public final class HaproxyBinary {

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
            Process process = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("haproxy " + args + " did not finish");
            }
            return new CheckResult(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
