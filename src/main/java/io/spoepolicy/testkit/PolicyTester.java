package io.spoepolicy.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import io.spoepolicy.policy.DecisionContract;
import io.spoepolicy.policy.PolicyDispatcher;
import io.spoepolicy.policy.PolicyListener;
import io.spoepolicy.policy.SpoePolicy;
import io.spoepolicy.protocol.Action;
import io.spoepolicy.protocol.SpopMessage;
import io.spoepolicy.protocol.VarScope;

/**
 * Runs policies in-process exactly as the agent does (same dispatcher, deadline and decision
 * variables) and returns the ACK actions, so a policy bean can be tested in a few lines:
 *
 * <pre>
 * PolicyTester tester = PolicyTester.of(new MyPolicy());
 * AgentFrame.Ack ack = tester.send(MessageBuilder.checkRequest().path("/admin").build());
 * assertThat(ack.text("action")).isEqualTo("deny");
 * </pre>
 */
public final class PolicyTester {

    private final PolicyDispatcher dispatcher;

    private PolicyTester(PolicyDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    /** Policies in chain order, a 400 ms deadline, variables in the {@code txn} scope. */
    public static PolicyTester of(SpoePolicy... policies) {
        return of(Duration.ofMillis(400), List.of(policies));
    }

    public static PolicyTester of(Duration deadline, List<SpoePolicy> policies) {
        Map<String, List<SpoePolicy>> chains = new LinkedHashMap<>();
        for (SpoePolicy policy : policies) {
            for (String message : policy.messages()) {
                chains.computeIfAbsent(message, name -> new ArrayList<>()).add(policy);
            }
        }
        Scheduler scheduler = Schedulers.boundedElastic();
        return new PolicyTester(new PolicyDispatcher(chains, new DecisionContract(VarScope.TRANSACTION),
                scheduler, deadline, PolicyListener.NONE));
    }

    /** Wraps an existing dispatcher, e.g. the application's own bean. */
    public static PolicyTester of(PolicyDispatcher dispatcher) {
        return new PolicyTester(dispatcher);
    }

    /** Dispatches one message and returns what its ACK would carry (stream and frame id 1). */
    public AgentFrame.Ack send(SpopMessage message) {
        return send(List.of(message));
    }

    public AgentFrame.Ack send(List<SpopMessage> messages) {
        List<Action> actions = dispatcher.dispatch(messages, "policy-tester").block(Duration.ofSeconds(30));
        return new AgentFrame.Ack(io.spoepolicy.protocol.FrameFlags.FIN, 1, 1, actions == null ? List.of() : actions);
    }
}
