package io.spoepolicy.loadgen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and machine load from {@code /proc} (Linux). */
public final class ProcCpu {

    /** USER_HZ: 100 on every Linux this runs on (x86-64 and arm64 kernels fix it at 100). */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private ProcCpu() {
    }

    /** utime + stime of a process, in nanoseconds (10 ms resolution). */
    public static long nanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name may contain spaces: fields are counted after its closing parenthesis.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long utime = Long.parseLong(fields[11]);
            long stime = Long.parseLong(fields[12]);
            return (utime + stime) * NANOS_PER_TICK;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** The three load averages, as {@code /proc/loadavg} prints them. */
    public static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        }
        catch (IOException ex) {
            return "?";
        }
    }

    /** The 1-minute load average. */
    public static double load1() {
        try {
            return Double.parseDouble(loadAverage().split(" ")[0]);
        }
        catch (NumberFormatException ex) {
            return Double.NaN;
        }
    }
}
