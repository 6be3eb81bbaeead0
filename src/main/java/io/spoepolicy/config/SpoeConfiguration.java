package io.spoepolicy.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;
import org.springframework.core.env.Environment;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import io.spoepolicy.config.policies.ActivePolicies;
import io.spoepolicy.policy.DecisionContract;
import io.spoepolicy.policy.PolicyDispatcher;
import io.spoepolicy.policy.PolicyListener;
import io.spoepolicy.policy.SpoePolicy;
import io.spoepolicy.protocol.VarScope;
import io.spoepolicy.server.DrainSignal;
import io.spoepolicy.server.InflightLimiter;
import io.spoepolicy.server.NotifyHandler;
import io.spoepolicy.server.ReadinessAfterRestart;
import io.spoepolicy.server.ServerSettings;
import io.spoepolicy.server.SessionFactory;
import io.spoepolicy.server.SessionObserver;
import io.spoepolicy.server.SessionRegistry;
import io.spoepolicy.server.SessionSettings;
import io.spoepolicy.server.SpoeServer;
import io.spoepolicy.server.WarmupConnections;
import io.spoepolicy.server.tls.SpopTls;
import io.spoepolicy.server.warmup.SpopWarmup;

/** Wires the SPOP server to the policy beans. */
@Configuration(proxyBeanMethods = false)
public class SpoeConfiguration {

    @Bean
    DecisionContract decisionContract(SpoePolicyProperties properties) {
        try {
            return new DecisionContract(VarScope.parse(properties.scope()));
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("spoe.policies.scope: " + ex.getMessage(), ex);
        }
    }

    @Bean(destroyMethod = "dispose")
    Scheduler spoePolicyScheduler(SpoePolicyProperties properties) {
        int threads = properties.scheduler().threads() > 0 ? properties.scheduler().threads()
                : 4 * Runtime.getRuntime().availableProcessors();
        return Schedulers.newBoundedElastic(threads, properties.scheduler().queue(), "spoe-policy", 60, true);
    }

    @Bean
    PolicyDispatcher policyDispatcher(ObjectProvider<ActivePolicies> activePolicies, ObjectProvider<SpoePolicy> policies,
            SpoePolicyProperties properties, DecisionContract contract, Scheduler spoePolicyScheduler,
            ObjectProvider<PolicyListener> listeners) {
        List<PolicyListener> all = listeners.orderedStream().toList();
        PolicyListener listener = all.isEmpty() ? PolicyListener.NONE : new CompositePolicyListener(all);
        ActivePolicies active = activePolicies.getIfAvailable();
        if (active != null) {
            // Chains come from the active policy generation (config/policies), which a reload replaces.
            return new PolicyDispatcher(active::chains, contract, spoePolicyScheduler, properties.deadline(), listener);
        }
        // Without the policy configuration layer (this class wired alone): the policy beans, fixed.
        return new PolicyDispatcher(chains(policies.orderedStream().toList(), properties.order()), contract,
                spoePolicyScheduler, properties.deadline(), listener);
    }

    /** Chains by message name: policies named in {@code order} first, in that order, then the rest. */
    static Map<String, List<SpoePolicy>> chains(List<SpoePolicy> policies, List<String> order) {
        List<SpoePolicy> sorted = new ArrayList<>(policies);
        AnnotationAwareOrderComparator.sort(sorted);
        sorted.sort(Comparator.comparingInt(policy -> {
            int index = order.indexOf(policy.name());
            return index < 0 ? Integer.MAX_VALUE : index;
        }));
        Map<String, List<SpoePolicy>> chains = new LinkedHashMap<>();
        for (SpoePolicy policy : sorted) {
            for (String message : policy.messages()) {
                chains.computeIfAbsent(message, name -> new ArrayList<>()).add(policy);
            }
        }
        return chains;
    }

    @Bean
    NotifyHandler notifyHandler(PolicyDispatcher dispatcher, SpoeServerProperties properties) {
        return new PolicyNotifyHandler(dispatcher, properties.emptyAck() == SpoeServerProperties.EmptyAck.NOOP_ACTION);
    }

    @Bean
    SessionRegistry sessionRegistry() {
        return new SessionRegistry();
    }

    @Bean
    DrainSignal drainSignal() {
        return new DrainSignal();
    }

    @Bean
    InflightLimiter inflightLimiter(SpoeServerProperties properties) {
        return new InflightLimiter(properties.limits().maxInFlight());
    }

    @Bean
    SessionFactory sessionFactory(SpoeServerProperties properties, NotifyHandler handler, InflightLimiter limiter,
            SessionRegistry registry, ObjectProvider<SessionObserver> observers, DrainSignal drainSignal,
            WarmupConnections warmupConnections) {
        List<SessionObserver> all = observers.orderedStream().toList();
        SessionObserver observer = all.isEmpty() ? SessionObserver.NONE : new CompositeSessionObserver(all);
        List<String> capabilities = properties.fragmentation().enabled()
                ? List.of("pipelining", "fragmentation") : List.of("pipelining");
        SessionSettings settings = new SessionSettings(properties.maxFrameSize(),
                Math.max(properties.maxFrameSize(), properties.limits().maxInboundFrameSize()),
                properties.limits().maxInFlightPerConnection(), properties.limits().maxMessagesPerFrame(),
                properties.fragmentation().enabled(), properties.fragmentation().maxMessageSize(),
                properties.helloTimeout(), properties.idleTimeout(), properties.drain().linger(), capabilities);
        return new SessionFactory(settings, handler, limiter, registry, observer, drainSignal,
                properties.limits().maxConnections(), warmupConnections);
    }

    @Bean
    WarmupConnections warmupConnections() {
        return new WarmupConnections();
    }

    /** Holds readiness until the request path is warm (bounded by spoe.server.warmup.max-duration). */
    @Bean
    SpopWarmup spopWarmup(SpoeServer server, WarmupConnections warmupConnections, SpoeServerProperties properties,
            ObjectProvider<SpopTls> tls) {
        SpoeServerProperties.Warmup warmup = properties.warmup();
        return new SpopWarmup(server, warmupConnections,
                new SpopWarmup.Settings(warmup.enabled(), warmup.requests(), warmup.maxDuration()),
                tls.getIfAvailable() == null ? null : "the SPOP listener uses TLS (spoe.server.ssl.bundle)");
    }

    /** Readiness back after a context stop and start (the drain turned it off). */
    @Bean
    ReadinessAfterRestart readinessAfterRestart(ApplicationAvailability availability,
            ApplicationEventPublisher publisher) {
        return new ReadinessAfterRestart(availability, publisher);
    }

    @Bean
    SpoeServer spoeServer(SpoeServerProperties properties, SessionFactory sessionFactory, SessionRegistry registry,
            DrainSignal drainSignal, ApplicationEventPublisher publisher, Environment environment,
            ObjectProvider<SpoeServer.TcpServerCustomizer> customizers) {
        Duration phaseTimeout = Binder.get(environment)
                .bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
                .orElse(Duration.ofSeconds(30));
        DrainBudget.validate(properties.drain(), phaseTimeout);
        SpoeServerProperties.Drain drain = properties.drain();
        ServerSettings settings = new ServerSettings(properties.host(), properties.port(), properties.backlog(),
                properties.ioThreads(), new ServerSettings.DrainSettings(drain.window(), drain.quietPeriod(),
                        drain.linger(), drain.deadline()));
        SpoeServer server = new SpoeServer(settings, sessionFactory, registry, drainSignal, publisher);
        List<SpoeServer.TcpServerCustomizer> all = customizers.orderedStream().toList();
        server.customizer(tcp -> {
            var result = tcp;
            for (SpoeServer.TcpServerCustomizer customizer : all) {
                result = customizer.customize(result);
            }
            return result;
        });
        return server;
    }
}
