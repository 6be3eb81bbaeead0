package io.spoepolicy.loadgen;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.spoepolicy.testsupport.FreePorts;

/**
 * Start-up to ready of the packaged service: from spawning {@code java -jar} to the SPOP port
 * accepting connections, plain and with a CDS archive (created here by a training run, as
 * Spring Boot documents it). Median of {@code --runs}. Needs the jar extracted with
 * {@code java -Djarmode=tools -jar target/spoe-policy-service-*.jar extract --destination DIR}.
 */
public final class Startup {

    private Startup() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        Path jar = Path.of(args.string("jar", "target/extracted/spoe-policy-service-0.1.0-SNAPSHOT.jar",
                "extracted application jar"));
        int runs = args.integer("runs", 3, "starts per variant");
        String java = args.string("java", ProcessHandle.current().info().command().orElse("java"), "java binary");
        List<String> jvm = args.list("jvm", "-Xms512m -Xmx512m", "JVM flags");
        args.checkUnknown();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("no jar at " + jar + " (see BENCHMARKS.md: package and extract first)");
        }
        Path archive = jar.resolveSibling("application.jsa");
        System.out.printf(Locale.ROOT, "startup: load average %s, %s%n", ProcCpu.loadAverage(), java);
        // Training run: the context refreshes and exits, leaving the archive.
        List<String> training = new ArrayList<>(List.of(java, "-XX:ArchiveClassesAtExit=" + archive,
                "-Dspring.context.exit=onRefresh", "-jar", jar.toString(), "--spoe.server.port=0", "--server.port=0", "--management.server.port=0"));
        Process process = new ProcessBuilder(training).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(180, TimeUnit.SECONDS) || !Files.isRegularFile(archive)) {
            process.destroyForcibly();
            throw new IllegalStateException("CDS training run failed");
        }
        for (String variant : List.of("plain", "cds")) {
            List<Long> times = new ArrayList<>();
            String spring = "";
            for (int i = 0; i < runs; i++) {
                int port = FreePorts.next();
                List<String> command = new ArrayList<>();
                command.add(java);
                command.addAll(jvm);
                if (variant.equals("cds")) {
                    command.add("-XX:SharedArchiveFile=" + archive);
                }
                command.addAll(List.of("-jar", jar.toString(), "--spoe.server.host=127.0.0.1",
                        "--spoe.server.port=" + port, "--server.port=0", "--management.server.port=0"));
                try (AgentProcess agent = AgentProcess.start(command, port, Duration.ofSeconds(180))) {
                    times.add(agent.startup().toMillis());
                    // Spring logs "Started ..." just after the listener binds: wait for it, bounded.
                    String line = agent.logLine("Started ");
                    for (int wait = 0; line == null && wait < 100; wait++) {
                        Thread.sleep(100);
                        line = agent.logLine("Started ");
                    }
                    spring = line == null ? "" : line.substring(line.indexOf("Started "));
                }
            }
            times.sort(null);
            System.out.printf(Locale.ROOT, "%-5s ready (SPOP port accepting) median %d ms of %s; last: %s%n", variant,
                    times.get(times.size() / 2), times, spring);
        }
        System.out.printf(Locale.ROOT, "load average after: %s%n", ProcCpu.loadAverage());
    }
}
