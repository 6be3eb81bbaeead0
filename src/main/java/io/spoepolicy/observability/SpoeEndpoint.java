package io.spoepolicy.observability;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

import io.spoepolicy.policy.DecisionContract;
import io.spoepolicy.policy.DescribedPolicy;
import io.spoepolicy.policy.PolicyDispatcher;
import io.spoepolicy.policy.SpoePolicy;
import io.spoepolicy.policy.SyncSpoePolicy;
import io.spoepolicy.policy.settings.ManagedPolicy;
import io.spoepolicy.server.DrainReport;
import io.spoepolicy.server.SessionInfo;
import io.spoepolicy.server.SpoeServer;

/**
 * The {@code spoe} Actuator endpoint (read-only): the listener and its state, every open session
 * as the agent sees it, and the loaded policies with a version of their configuration. It shows
 * HAProxy's addresses and engine-ids but nothing from requests and no secrets: policies describe
 * themselves through {@link DescribedPolicy}, whose contract excludes secrets.
 */
@Endpoint(id = "spoe")
public class SpoeEndpoint {

    private final SpoeServer server;
    private final PolicyDispatcher dispatcher;
    private final Duration deadline;
    private final Supplier<Generation> generation;
    private final List<String> configuredVariables;

    /**
     * @param generation the policy configuration generation in use (reloads), or {@code null}
     *        when the policies are fixed at startup
     */
    public SpoeEndpoint(SpoeServer server, PolicyDispatcher dispatcher, Duration deadline,
            Supplier<Generation> generation) {
        this(server, dispatcher, deadline, generation, List.of());
    }

    /**
     * @param configuredVariables variable names set by configuration outside the policies (the
     *        metrics' {@code rule-ids-variable}), added to {@code registerVarNames}
     */
    public SpoeEndpoint(SpoeServer server, PolicyDispatcher dispatcher, Duration deadline,
            Supplier<Generation> generation, Collection<String> configuredVariables) {
        this.server = server;
        this.dispatcher = dispatcher;
        this.deadline = deadline;
        this.generation = generation == null ? () -> null : generation;
        this.configuredVariables = List.copyOf(configuredVariables);
    }

    @ReadOperation
    public SpoeReport report() {
        InetSocketAddress address = server.address();
        Listener listener = new Listener(address == null ? null : format(address), MeterNames.tagValue(server.state()));
        DrainReport drain = server.lastDrain();
        LastDrain lastDrain = drain == null ? null
                : new LastDrain(drain.drained(), drain.forced(), drain.duration().toMillis(), drain.openAtStart(),
                        drain.acceptedDuringDrain(), drain.closedQuiet(), drain.closedByHaproxy(), drain.lostInFlight());
        Instant now = Instant.now();
        List<Session> sessions = new ArrayList<>();
        for (SessionInfo info : server.registry().snapshot()) {
            sessions.add(Session.of(info, now));
        }
        sessions.sort(Comparator.comparingLong(Session::id));
        int inFlight = 0;
        for (Session session : sessions) {
            inFlight += session.inFlight();
        }
        return new SpoeReport(listener, lastDrain, sessions.size(), inFlight, sessions, policies());
    }

    private Policies policies() {
        Map<String, List<String>> chains = new LinkedHashMap<>();
        Set<SpoePolicy> loaded = new LinkedHashSet<>();
        dispatcher.chains().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(chain -> {
            List<String> names = new ArrayList<>();
            for (SpoePolicy policy : chain.getValue()) {
                names.add(policy.name());
                loaded.add(policy);
            }
            chains.put(chain.getKey(), names);
        });
        List<PolicyInfo> policies = new ArrayList<>();
        Set<String> variables = new LinkedHashSet<>(configuredVariables);
        for (SpoePolicy policy : loaded) {
            variables.addAll(policy.variables().stream().sorted().toList());
            // Policy settings (scopes, detect-only) wrap the policy; its description is the inner one's.
            SpoePolicy inner = policy instanceof ManagedPolicy managed ? managed.delegate() : policy;
            Map<String, Object> configuration = inner instanceof DescribedPolicy described
                    ? described.describe() : Map.of();
            List<String> messages = policy.messages().stream().sorted().toList();
            String execution = policy instanceof SyncSpoePolicy sync ? (sync.inline() ? "inline" : "scheduler")
                    : "reactive";
            Map<String, Object> identity = new LinkedHashMap<>();
            identity.put("name", policy.name());
            identity.put("messages", messages);
            identity.put("configuration", configuration);
            policies.add(new PolicyInfo(policy.name(), messages, execution, ConfigVersion.of(identity),
                    configuration));
        }
        String deadlineText = deadline.toMillis() + "ms";
        String scope = dispatcher.contract().scope().haproxyName();
        Map<String, Object> whole = new LinkedHashMap<>();
        whole.put("deadline", deadlineText);
        whole.put("scope", scope);
        whole.put("chains", chains);
        whole.put("policies", policies.stream().map(PolicyInfo::version).toList());
        String registerVarNames = DecisionContract.registerVarNames(DecisionContract.variableNames(variables));
        return new Policies(ConfigVersion.of(whole), generation.get(), deadlineText, scope, registerVarNames, chains,
                policies);
    }

    private static String format(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            String host = inet.getAddress() == null ? inet.getHostString()
                    : inet.getAddress().isAnyLocalAddress() && inet.getAddress() instanceof Inet6Address ? "::"
                    : inet.getAddress().getHostAddress();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        return address == null ? null : address.toString();
    }

    /** The endpoint's answer. */
    public record SpoeReport(Listener listener, LastDrain lastDrain, int connections, int inFlight,
            List<Session> sessions, Policies policies) {
    }

    /**
     * @param address bound address, {@code null} when not listening
     * @param state {@code running}, {@code draining} or {@code stopped}
     */
    public record Listener(String address, String state) {
    }

    /** The last drain's figures ({@link DrainReport}). */
    public record LastDrain(int drained, int forced, long durationMillis, int openAtStart, long acceptedDuringDrain,
            long closedQuiet, long closedByHaproxy, int lostInFlight) {
    }

    /** One open connection; {@code peer} is HAProxy's address. */
    public record Session(long id, String peer, String state, String engineId, boolean healthcheck, String version,
            int maxFrameSize, List<String> capabilities, int inFlight, long framesIn, long framesOut,
            String openedAt, long ageMillis) {

        static Session of(SessionInfo info, Instant now) {
            return new Session(info.id(), format(info.peer()), MeterNames.tagValue(info.state()), info.engineId(),
                    info.healthcheck(), info.version(), info.maxFrameSize(), info.capabilities(), info.inFlight(),
                    info.framesIn(), info.framesOut(), info.openedAt().toString(),
                    Duration.between(info.openedAt(), now).toMillis());
        }
    }

    /**
     * @param configVersion digest of the whole policy configuration shown here: equal on two
     *        replicas exactly when they run the same policies with the same settings
     * @param registerVarNames the names HAProxy's {@code register-var-names} must list for this
     *        configuration, ready to paste: every built-in name plus configured and custom ones
     */
    public record Policies(String configVersion, Generation generation, String deadline, String scope,
            String registerVarNames, Map<String, List<String>> chains, List<PolicyInfo> loaded) {
    }

    /**
     * The policy configuration generation: 1 at startup, one more per applied reload.
     *
     * @param trigger what applied it: {@code startup}, {@code actuator}, {@code file-change} …
     */
    public record Generation(long number, String loadedAt, String trigger) {
    }

    /**
     * @param execution {@code inline} (on the event loop), {@code scheduler} (bounded policy
     *        threads) or {@code reactive}
     * @param version digest of this policy's name, messages and configuration
     */
    public record PolicyInfo(String name, List<String> messages, String execution, String version,
            Map<String, Object> configuration) {
    }
}
