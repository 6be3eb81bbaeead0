package io.spoepolicy.loadgen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.spoepolicy.testsupport.BenchMessages;
import io.spoepolicy.testsupport.Binaries;
import io.spoepolicy.testsupport.FreePorts;
import io.spoepolicy.testsupport.LoggedProcess;

/**
 * One single-threaded HAProxy for the end-to-end benchmark: a frontend without SPOE and one
 * frontend per agent with the SPOE filter, all in front of an {@code http-request return}
 * backend. The SPOE frontends are fail-closed (an SPOE error answers 503), so a failing agent
 * shows as non-2xx answers in wrk's report instead of as suspiciously fast requests.
 */
final class HaproxyProcess implements AutoCloseable {

    private final Process process;
    private final Map<String, Integer> frontends;

    private HaproxyProcess(Process process, Map<String, Integer> frontends) {
        this.process = process;
        this.frontends = frontends;
    }

    /** {@code agents}: frontend name to agent port. A frontend {@code direct} has no filter. */
    static HaproxyProcess start(Path workDir, Map<String, Integer> agents) throws IOException, InterruptedException {
        Map<String, Integer> frontends = new LinkedHashMap<>();
        frontends.put("direct", FreePorts.next());
        StringBuilder cfg = new StringBuilder("""
                global
                    nbthread 1
                    maxconn 4000

                defaults
                    mode http
                    timeout connect 5s
                    timeout client 30s
                    timeout server 30s

                backend be_app
                    http-request return status 200 content-type text/plain string "ok"

                """);
        cfg.append("frontend direct\n    bind 127.0.0.1:").append(frontends.get("direct"))
                .append("\n    default_backend be_app\n\n");
        StringBuilder spoe = new StringBuilder();
        for (Map.Entry<String, Integer> agent : agents.entrySet()) {
            String name = agent.getKey();
            int port = FreePorts.next();
            frontends.put(name, port);
            cfg.append("frontend ").append(name).append("\n    bind 127.0.0.1:").append(port).append('\n').append("""
                        option http-buffer-request
                        filter spoe engine %1$s config %2$s
                        http-request deny deny_status 403 if { var(txn.policy.action) -m str deny }
                        http-request deny deny_status 503 if { var(txn.policy.error) -m found }
                        http-request deny deny_status 503 if { var(txn.policy.agent_error) -m found }
                        http-after-response set-header x-policy-action %%[var(txn.policy.action)] if { var(txn.policy.action) -m found }
                        default_backend be_app

                    backend be_agent_%1$s
                        mode tcp
                        balance roundrobin
                        timeout connect 5s
                        timeout server 3m
                        server agent 127.0.0.1:%3$d

                    """.formatted(name, workDir.resolve("spoe.conf"), agent.getValue()));
            spoe.append("""
                    [%1$s]
                    spoe-agent agent-%1$s
                        messages check-request
                        option var-prefix policy
                        option set-on-error error
                        register-var-names action status reason policy agent_error noop
                        timeout hello 2s
                        timeout idle 2m
                        timeout processing 500ms
                        use-backend be_agent_%1$s

                    spoe-message check-request
                        args ip=src method=method path=path query=query headers=req.hdrs_bin body=req.body
                        event on-frontend-http-request

                    """.formatted(name));
        }
        Path config = workDir.resolve("haproxy.cfg");
        Files.writeString(config, cfg);
        Files.writeString(workDir.resolve("spoe.conf"), spoe);
        Path log = workDir.resolve("haproxy.log");
        // Same lookup as the tests: -Dspoe.haproxy.bin (e.g. via bench.jvmArgs) selects another build.
        Process process = LoggedProcess.start(List.of(Binaries.haproxy().toString(), "-db", "-f", config.toString()),
                Path.of("."), log);
        LocalProcesses.awaitListening("haproxy", process, log, Duration.ofSeconds(10), frontends.values());
        return new HaproxyProcess(process, frontends);
    }

    String url(String frontend) {
        return "http://127.0.0.1:" + frontends.get(frontend) + BenchMessages.PATH + "?" + BenchMessages.QUERY;
    }

    long pid() {
        return process.pid();
    }

    List<String> frontends() {
        return List.copyOf(frontends.keySet());
    }

    @Override
    public void close() throws InterruptedException {
        LocalProcesses.stop(process, Duration.ofSeconds(10));
    }
}
