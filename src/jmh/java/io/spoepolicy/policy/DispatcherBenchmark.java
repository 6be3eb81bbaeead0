package io.spoepolicy.policy;

import java.util.List;
import java.util.Map;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import io.spoepolicy.bench.JmhDefaults;
import io.spoepolicy.loadgen.AllowAllPolicy;
import io.spoepolicy.testsupport.BenchMessages;
import io.spoepolicy.protocol.Action;
import io.spoepolicy.protocol.SpopMessage;

/**
 * The dispatcher's own cost: one typical message through a chain holding only an inline
 * allow-all policy, from the message to the ACK's actions (the deadline and listener machinery
 * included, as in the service).
 */
@State(Scope.Thread)
public class DispatcherBenchmark extends JmhDefaults {

    private BenchDispatcher bench;
    private PolicyDispatcher dispatcher;
    private List<SpopMessage> messages;

    @Setup
    public void setUp() {
        bench = BenchDispatcher.start(Map.of(CheckRequest.MESSAGE, List.of(new AllowAllPolicy())));
        dispatcher = bench.dispatcher();
        messages = List.of(BenchMessages.typical());
    }

    @TearDown
    public void tearDown() {
        bench.close();
    }

    @Benchmark
    public List<Action> dispatchAllowAll() {
        return dispatcher.dispatch(messages, "engine").block();
    }
}
