package io.spoepolicy.policy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import io.spoepolicy.loadgen.AllowAllPolicy;
import io.spoepolicy.loadgen.Messages;
import io.spoepolicy.protocol.Action;
import io.spoepolicy.protocol.SpopMessage;
import io.spoepolicy.protocol.VarScope;

/**
 * The dispatcher's own cost: one typical message through a chain holding only an inline
 * allow-all policy, from the message to the ACK's actions (the deadline and listener machinery
 * included, as in the service).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class DispatcherBenchmark {

    private Scheduler scheduler;
    private PolicyDispatcher dispatcher;
    private List<SpopMessage> messages;

    @Setup
    public void setUp() {
        scheduler = Schedulers.newBoundedElastic(4, 1000, "bench-policy");
        dispatcher = new PolicyDispatcher(Map.of(CheckRequest.MESSAGE, List.of(new AllowAllPolicy())),
                new DecisionContract(VarScope.TRANSACTION), scheduler, Duration.ofMillis(400), PolicyListener.NONE);
        messages = List.of(Messages.typical());
    }

    @TearDown
    public void tearDown() {
        scheduler.dispose();
    }

    @Benchmark
    public List<Action> dispatchAllowAll() {
        return dispatcher.dispatch(messages, "engine").block();
    }
}
