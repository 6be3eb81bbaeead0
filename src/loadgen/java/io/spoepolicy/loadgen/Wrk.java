package io.spoepolicy.loadgen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.spoepolicy.testsupport.BenchMessages;
import io.spoepolicy.testsupport.CapturedCommand;

/** Runs {@code wrk} (Debian package) against a loopback URL and parses its report. */
final class Wrk {

    private static final Pattern PERCENTILE = Pattern.compile("^\\s*(50|75|90|99)%\\s+([0-9.]+)(us|ms|s)\\s*$");
    private static final Pattern RATE = Pattern.compile("^Requests/sec:\\s+([0-9.]+)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");
    private static final Pattern ERRORS = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
    private static final Pattern TIMES = Pattern.compile("^(\\d+)m([0-9.]+)s (\\d+)m([0-9.]+)s$");
    private static final Pattern TOTAL = Pattern.compile("^\\s*(\\d+) requests in");

    private final Path script;

    Wrk(Path workDir) throws IOException {
        // Per-connection pause between requests: how the half-load runs hold a rate.
        script = workDir.resolve("delay.lua");
        Files.writeString(script, """
                local pause = 0
                function init(args)
                    pause = tonumber(args[1]) or 0
                end
                function delay()
                    return pause
                end
                """);
    }

    /** One report: requests/s and latency percentiles in microseconds. */
    record Report(double rate, long requests, double p50, double p75, double p90, double p99, long non2xx,
            long socketErrors, double cpuSeconds) {

        /** wrk's CPU time per request, in microseconds. */
        double cpuUsPerRequest() {
            return requests == 0 ? 0 : cpuSeconds * 1e6 / requests;
        }

        String line() {
            return String.format(Locale.ROOT, "%9.0f req/s  p50 %6.0f  p75 %6.0f  p90 %6.0f  p99 %6.0f us%s", rate, p50,
                    p75, p90, p99, non2xx + socketErrors > 0 ? "  (non-2xx " + non2xx + ", socket errors "
                            + socketErrors + ")" : "");
        }
    }

    /**
     * Closed-loop run: {@code connections} connections, each sending its next request when the
     * previous answer arrived, after {@code delayMs} when not 0.
     */
    Report run(String url, int threads, int connections, Duration duration, int delayMs) throws IOException,
            InterruptedException {
        // Through bash so that "times" reports wrk's own CPU time once it has exited.
        List<String> command = new ArrayList<>(List.of("bash", "-c", "wrk \"$@\"; times", "wrk", "-t" + threads,
                "-c" + connections,
                "-d" + duration.toSeconds() + "s", "--latency", "--timeout", "5s"));
        for (String[] header : BenchMessages.TYPICAL_HEADERS) {
            if (!header[0].equals("host") && !header[0].equals("connection")) {
                command.add("-H");
                command.add(header[0] + ": " + header[1]);
            }
        }
        if (delayMs > 0) {
            command.add("-s");
            command.add(script.toString());
        }
        command.add(url);
        if (delayMs > 0) {
            command.add("--");
            command.add(Integer.toString(delayMs));
        }
        // A report cut short cannot be parsed: a run that outlives its duration fails.
        return parse(CapturedCommand.run(command, Path.of("."), duration.plusSeconds(30), CapturedCommand.OnTimeout.FAIL)
                .output());
    }

    static Report parse(String output) {
        double[] percentiles = new double[4];
        double rate = -1;
        long requests = 0;
        long non2xx = 0;
        long errors = 0;
        for (String line : output.split("\n")) {
            Matcher m = PERCENTILE.matcher(line);
            if (m.find()) {
                double value = Double.parseDouble(m.group(2));
                double us = switch (m.group(3)) {
                    case "us" -> value;
                    case "ms" -> value * 1e3;
                    default -> value * 1e6;
                };
                int index = switch (m.group(1)) {
                    case "50" -> 0;
                    case "75" -> 1;
                    case "90" -> 2;
                    default -> 3;
                };
                percentiles[index] = us;
            }
            m = RATE.matcher(line);
            if (m.find()) {
                rate = Double.parseDouble(m.group(1));
            }
            m = TOTAL.matcher(line);
            if (m.find()) {
                requests = Long.parseLong(m.group(1));
            }
            m = NON_2XX.matcher(line);
            if (m.find()) {
                non2xx = Long.parseLong(m.group(1));
            }
            m = ERRORS.matcher(line);
            if (m.find()) {
                errors = Long.parseLong(m.group(1)) + Long.parseLong(m.group(2)) + Long.parseLong(m.group(3))
                        + Long.parseLong(m.group(4));
            }
        }
        if (rate < 0) {
            throw new IllegalStateException("unexpected wrk output:\n" + output);
        }
        return new Report(rate, requests, percentiles[0], percentiles[1], percentiles[2], percentiles[3], non2xx, errors,
                childCpu(output));
    }

    /** The children's line of bash's {@code times}: "0m1.234s 0m0.567s" (user, system). */
    private static double childCpu(String output) {
        String[] lines = output.trim().split("\n");
        Matcher m = TIMES.matcher(lines[lines.length - 1]);
        if (!m.find()) {
            return 0;
        }
        return Long.parseLong(m.group(1)) * 60 + Double.parseDouble(m.group(2)) + Long.parseLong(m.group(3)) * 60
                + Double.parseDouble(m.group(4));
    }
}
