package io.spoepolicy.loadgen;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * End-to-end benchmark: {@code wrk} against one single-threaded HAProxy whose frontends differ
 * only in the SPOE filter: none ({@code direct}), the no-op reference agent ({@code noop}), the
 * service with an allow-all policy ({@code allow-all}) and the service with its default policy
 * set ({@code default}). All in one run, interleaved per round, then a half-load run that
 * compares p99 latencies at the same offered rate. See BENCHMARKS.md.
 */
public final class EndToEnd {

    private EndToEnd() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        Duration duration = args.duration("duration", "10s", "measured time per scenario and round");
        Duration warmup = args.duration("warmup", "5s", "warm-up per scenario and round (not measured)");
        Duration agentWarmup = args.duration("agent-warmup", "20s",
                "once per agent before the rounds, so its JIT has compiled the hot path");
        int connections = args.integer("connections", 50, "wrk connections at full load");
        int rounds = args.integer("rounds", 2, "rounds; the median round is reported");
        boolean withDefault = !args.flag("skip-default", "skip the default-policy scenario");
        AgentSetup fullSetup = AgentSetup.parse(args.string("default-policies", "waf",
                "policies of the 'default' scenario: waf (default set + CRS PL1) or default"));
        int delayMs = args.integer("half-delay-ms", 2, "per-connection pause in the half-load runs");
        String java = args.string("java", ProcessHandle.current().info().command().orElse("java"), "agent java");
        List<String> agentJvm = args.list("agent-jvm", "-Xms512m -Xmx512m", "agent JVM flags");
        List<String> agentArgs = args.list("agent-args", "", "extra service arguments");
        args.checkUnknown();

        Path work = Files.createTempDirectory("bench-e2e-");
        System.out.printf(Locale.ROOT, "e2e: load average %s; JVM %s; work dir %s%n", ProcCpu.loadAverage(),
                Runtime.version(), work);
        Map<String, AgentProcess> agents = new LinkedHashMap<>();
        try {
            agents.put("noop", AgentProcess.start(java, agentJvm, NoopAgent.class.getName(), List.of(),
                    Duration.ofSeconds(60)));
            agents.put("allow-all", startService(java, agentJvm, AgentSetup.ALLOW_ALL, agentArgs));
            if (withDefault) {
                agents.put("default", startService(java, agentJvm, fullSetup, agentArgs));
            }
            agents.forEach((name, agent) -> System.out.printf(Locale.ROOT, "agent %s: pid %d, ready in %d ms%n", name,
                    agent.pid(), agent.startup().toMillis()));
            Map<String, Integer> ports = new LinkedHashMap<>();
            agents.forEach((name, agent) -> ports.put(name, agent.port()));
            try (HaproxyProcess haproxy = HaproxyProcess.start(work, ports)) {
                check(haproxy);
                Wrk wrk = new Wrk(work);
                for (String frontend : agents.keySet()) {
                    wrk.run(haproxy.url(frontend), 1, connections, agentWarmup, 0);
                }
                Map<String, List<Wrk.Report>> full = new LinkedHashMap<>();
                Map<String, List<Double>> cpu = new LinkedHashMap<>();
                Map<String, List<Double>> ratios = new LinkedHashMap<>();
                for (int round = 1; round <= rounds; round++) {
                    Map<String, Double> rates = new LinkedHashMap<>();
                    // Each round starts with another frontend, so no scenario always follows the same one.
                    List<String> order = new ArrayList<>(haproxy.frontends());
                    Collections.rotate(order, -(round - 1));
                    for (String frontend : order) {
                        wrk.run(haproxy.url(frontend), 1, connections, warmup, 0);
                        AgentProcess agent = agents.get(frontend);
                        long cpu0 = agent == null ? 0 : agent.cpuNanos();
                        long haproxyCpu0 = ProcCpu.nanos(haproxy.pid());
                        String load = ProcCpu.loadAverage().split(" ")[0];
                        Wrk.Report report = wrk.run(haproxy.url(frontend), 1, connections, duration, 0);
                        full.computeIfAbsent(frontend, key -> new ArrayList<>()).add(report);
                        double agentUs = agent == null ? 0 : (agent.cpuNanos() - cpu0) / 1e3 / report.requests();
                        double haproxyUs = (ProcCpu.nanos(haproxy.pid()) - haproxyCpu0) / 1e3 / report.requests();
                        // CPU of the whole request path (HAProxy + agent + wrk): on two shared cores the
                        // capacity is 2 cores divided by it, whatever else the machine is doing.
                        double pathUs = haproxyUs + agentUs + report.cpuUsPerRequest();
                        cpu.computeIfAbsent(frontend, key -> new ArrayList<>()).add(pathUs);
                        rates.put(frontend, report.rate());
                        System.out.printf(Locale.ROOT, "round %d %-9s %s  CPU us/req: haproxy %.1f, agent %.1f, "
                                + "wrk %.1f, total %.1f  (load %s)%n", round, frontend, report.line(), haproxyUs,
                                agentUs, report.cpuUsPerRequest(), pathUs, load);
                    }
                    // Paired within the round: the frontends ran back to back under similar load.
                    for (String frontend : rates.keySet()) {
                        ratios.computeIfAbsent(frontend, key -> new ArrayList<>())
                                .add(rates.get(frontend) / rates.get("noop"));
                    }
                }
                System.out.println();
                System.out.printf(Locale.ROOT, "full load, wrk -t1 -c%d, %ds, median of %d round(s):%n", connections,
                        duration.toSeconds(), rounds);
                Map<String, Wrk.Report> median = new LinkedHashMap<>();
                full.forEach((frontend, reports) -> median.put(frontend, median(reports)));
                double noopRate = median.containsKey("noop") ? median.get("noop").rate() : Double.NaN;
                double directRate = median.get("direct").rate();
                median.forEach((frontend, report) -> System.out.printf(Locale.ROOT,
                        "  %-9s %s  vs direct %.2f  vs noop %.2f%n", frontend, report.line(), report.rate() / directRate,
                        report.rate() / noopRate));
                System.out.println("per-round ratio to noop (median), and CPU per request of the whole path (median):");
                for (String frontend : median.keySet()) {
                    double pathCpu = medianOf(cpu.get(frontend));
                    System.out.printf(Locale.ROOT, "  %-9s ratio %.2f %s  CPU %.1f us/req, CPU-bound capacity on 2 cores "
                            + "%.0f req/s, capacity ratio to noop %.2f%n", frontend, medianOf(ratios.get(frontend)),
                            ratios.get(frontend).stream().map(r -> String.format(Locale.ROOT, "%.2f", r)).toList(),
                            pathCpu, 2e6 / pathCpu, medianOf(cpu.get("noop")) / pathCpu);
                }

                double target = median.get("allow-all").rate() / 2;
                int halfConnections = Math.max(1, (int) Math.round(target * (delayMs + 0.2) / 1000));
                System.out.printf(Locale.ROOT, "%nhalf load: about %.0f req/s (wrk -c%d, %d ms pause per request), "
                        + "load average %s%n", target, halfConnections, delayMs, ProcCpu.loadAverage());
                Map<String, Wrk.Report> half = new LinkedHashMap<>();
                for (String frontend : List.of("direct", "noop", "allow-all")) {
                    wrk.run(haproxy.url(frontend), 1, halfConnections, Duration.ofSeconds(3), delayMs);
                    Wrk.Report report = wrk.run(haproxy.url(frontend), 1, halfConnections, duration, delayMs);
                    half.put(frontend, report);
                    System.out.printf(Locale.ROOT, "  %-9s %s%n", frontend, report.line());
                }
                System.out.printf(Locale.ROOT, "  added p99: allow-all vs direct %.0f us, vs noop %.0f us; "
                        + "noop vs direct %.0f us%n", half.get("allow-all").p99() - half.get("direct").p99(),
                        half.get("allow-all").p99() - half.get("noop").p99(),
                        half.get("noop").p99() - half.get("direct").p99());
                System.out.printf(Locale.ROOT, "RESULT direct=%.0f noop=%.0f allowAll=%.0f default=%.0f "
                        + "pairedRatioAllowAllVsNoop=%.3f capacityRatio=%.3f halfP99AddedVsDirectUs=%.0f "
                        + "halfP99AddedVsNoopUs=%.0f load=%s%n",
                        directRate, noopRate, median.get("allow-all").rate(),
                        median.containsKey("default") ? median.get("default").rate() : Double.NaN,
                        medianOf(ratios.get("allow-all")), medianOf(cpu.get("noop")) / medianOf(cpu.get("allow-all")),
                        half.get("allow-all").p99() - half.get("direct").p99(),
                        half.get("allow-all").p99() - half.get("noop").p99(), ProcCpu.loadAverage());
            }
        }
        finally {
            for (AgentProcess agent : agents.values()) {
                agent.close();
            }
        }
    }

    private static AgentProcess startService(String java, List<String> jvm, AgentSetup setup, List<String> extra)
            throws Exception {
        List<String> app = new ArrayList<>(setup.appArgs(List.of()));
        app.addAll(extra);
        return AgentProcess.start(java, jvm, AgentProcess.SERVICE, app, Duration.ofSeconds(120));
    }

    /** Every SPOE frontend must answer 200 with the agent's decision before anything is measured. */
    private static void check(HaproxyProcess haproxy) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        for (String frontend : haproxy.frontends()) {
            // A cold agent may miss HAProxy's 500 ms processing timeout on its very first
            // requests: a bounded number of tries, then the last answer must be right.
            String outcome = "";
            for (int attempt = 0; attempt < 50; attempt++) {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(haproxy.url(frontend)))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                String action = response.headers().firstValue("x-policy-action").orElse("-");
                outcome = response.statusCode() + " with action " + action;
                if (response.statusCode() == 200 && (frontend.equals("direct") || action.equals("allow"))) {
                    outcome = null;
                    break;
                }
                Thread.sleep(100);
            }
            if (outcome != null) {
                throw new IllegalStateException(frontend + " answered " + outcome);
            }
        }
        System.out.println("check: every frontend answers 200, SPOE frontends with x-policy-action: allow");
    }

    private static double medianOf(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    private static Wrk.Report median(List<Wrk.Report> reports) {
        List<Wrk.Report> sorted = new ArrayList<>(reports);
        sorted.sort((a, b) -> Double.compare(a.rate(), b.rate()));
        return sorted.get(sorted.size() / 2);
    }
}
