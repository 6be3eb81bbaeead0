package io.spoepolicy.packaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The installed HAProxy binary, for {@code haproxy -c} checks. */
final class Haproxy {

    record Version(int major, int minor) implements Comparable<Version> {
        @Override
        public int compareTo(Version other) {
            return major != other.major ? Integer.compare(major, other.major) : Integer.compare(minor, other.minor);
        }
    }

    private Haproxy() {
    }

    static Optional<String> executable() {
        List<Path> candidates = new ArrayList<>();
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty()) {
                candidates.add(Path.of(dir, "haproxy"));
            }
        }
        candidates.add(Path.of("/usr/sbin/haproxy"));
        candidates.add(Path.of("/usr/local/sbin/haproxy"));
        return candidates.stream().filter(Files::isExecutable).findFirst().map(Path::toString);
    }

    static Version version(String executable) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(executable, "-v").redirectErrorStream(true).start();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(executable + " -v did not answer");
        }
        String banner = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Matcher matcher = Pattern.compile("version ([0-9]+)\\.([0-9]+)").matcher(banner);
        if (!matcher.find()) {
            throw new IllegalStateException("no version in: " + banner);
        }
        return new Version(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)));
    }
}
