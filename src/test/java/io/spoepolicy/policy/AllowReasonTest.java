package io.spoepolicy.policy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import io.spoepolicy.protocol.Action;
import io.spoepolicy.protocol.SpopMessage;
import io.spoepolicy.protocol.VarScope;
import io.spoepolicy.testkit.AgentFrame;
import io.spoepolicy.testkit.MessageBuilder;
import io.spoepolicy.testkit.PolicyTester;

import static org.assertj.core.api.Assertions.assertThat;

/** An allow that gives a reason sends it to HAProxy; a deny's reason still wins. */
class AllowReasonTest {

    private final Scheduler scheduler = Schedulers.newBoundedElastic(2, 100, "allow-reason-test");

    @AfterEach
    void tearDown() {
        scheduler.dispose();
    }

    @Test
    void inlineAllowWithReasonSetsTheReasonButNoStatusOrPolicy() {
        AgentFrame.Ack ack = PolicyTester.of(allowing("p1", "looks-odd", true)).send(request());
        assertThat(ack.text("action")).isEqualTo("allow");
        assertThat(ack.text("reason")).isEqualTo("looks-odd");
        assertThat(ack.variable("status")).isNull();
        assertThat(ack.variable("policy")).as("policy stays the deciding (deny/bypass) policy").isNull();
    }

    @Test
    void laterAllowReasonWinsAndADenyReasonWinsOverBoth() {
        assertThat(PolicyTester.of(allowing("p1", "first", true), allowing("p2", "second", true)).send(request())
                .text("reason")).isEqualTo("second");
        assertThat(PolicyTester.of(allowing("p1", "first", true), allowing("p2", "", true)).send(request())
                .text("reason")).as("an allow without reason keeps the earlier one").isEqualTo("first");
        AgentFrame.Ack denied = PolicyTester.of(allowing("p1", "first", true), denying("p2")).send(request());
        assertThat(denied.text("action")).isEqualTo("deny");
        assertThat(denied.text("reason")).isEqualTo("blocked");
        assertThat(denied.text("policy")).isEqualTo("p2");
    }

    @Test
    void scheduledPoliciesKeepTheReasonToo() {
        AgentFrame.Ack ack = PolicyTester.of(allowing("p1", "", true), allowing("slow", "partial", false))
                .send(request());
        assertThat(ack.text("action")).isEqualTo("allow");
        assertThat(ack.text("reason")).isEqualTo("partial");
    }

    @Test
    void variablesAndReasonAreMergedAndListenersSeeTheFinalReason() {
        List<String> completed = new CopyOnWriteArrayList<>();
        PolicyListener listener = new PolicyListener() {
            @Override
            public void completed(PolicyRequest request, Outcome outcome, long nanos) {
                completed.add(outcome.decision().reason());
            }
        };
        SyncSpoePolicy withVariable = new Fixed("p0", Decision.allow().withVariable("user", "alice"), true);
        PolicyDispatcher dispatcher = new PolicyDispatcher(Map.of(CheckRequest.MESSAGE,
                List.of(withVariable, allowing("p1", "looks-odd", true))), new DecisionContract(VarScope.TRANSACTION),
                scheduler, Duration.ofSeconds(5), listener);
        List<Action> actions = dispatcher.dispatch(List.of(request()), "engine").block(Duration.ofSeconds(10));
        AgentFrame.Ack ack = new AgentFrame.Ack(io.spoepolicy.protocol.FrameFlags.FIN, 1, 1, actions);
        assertThat(ack.text("reason")).isEqualTo("looks-odd");
        assertThat(ack.text("user")).isEqualTo("alice");
        assertThat(completed).containsExactly("looks-odd");
    }

    @Test
    void plainAllowIsStillTheSharedSingleAction() {
        PolicyDispatcher dispatcher = new PolicyDispatcher(Map.of(CheckRequest.MESSAGE,
                List.of(allowing("p1", "", true))), new DecisionContract(VarScope.TRANSACTION), scheduler,
                Duration.ofSeconds(5), PolicyListener.NONE);
        List<Action> first = dispatcher.dispatch(List.of(request()), "engine").block(Duration.ofSeconds(10));
        List<Action> second = dispatcher.dispatch(List.of(request()), "engine").block(Duration.ofSeconds(10));
        assertThat(first).hasSize(1);
        assertThat(first.get(0)).as("the shared allow action").isSameAs(second.get(0));
    }

    private static SpopMessage request() {
        return MessageBuilder.checkRequest().ip("10.1.2.3").build();
    }

    private static SyncSpoePolicy allowing(String name, String reason, boolean inline) {
        Decision decision = new Decision(Verdict.ALLOW, 0, reason, Map.of());
        return new Fixed(name, decision, inline);
    }

    private static SyncSpoePolicy denying(String name) {
        return new Fixed(name, Decision.deny(403, "blocked"), true);
    }

    /** Always the same decision, taken on the event loop ({@code inline}) or on the policy scheduler. */
    private record Fixed(String name, Decision decision, boolean inline) implements SyncSpoePolicy {
        @Override
        public Decision decide(PolicyRequest request) {
            return decision;
        }
    }
}
