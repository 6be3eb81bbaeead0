package io.spoepolicy.policy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import io.spoepolicy.protocol.VarScope;

/**
 * A dispatcher as the benchmarks run it: transaction-scoped variables, the service's 400 ms
 * deadline, no listener (meters are measured apart), and a bounded policy scheduler of its own
 * that {@link #close()} disposes.
 */
record BenchDispatcher(Scheduler scheduler, PolicyDispatcher dispatcher) implements AutoCloseable {

    static BenchDispatcher start(Map<String, List<SpoePolicy>> chains) {
        Scheduler scheduler = Schedulers.newBoundedElastic(4, 1000, "bench-policy");
        return new BenchDispatcher(scheduler, new PolicyDispatcher(chains, new DecisionContract(VarScope.TRANSACTION),
                scheduler, Duration.ofMillis(400), PolicyListener.NONE));
    }

    @Override
    public void close() {
        scheduler.dispose();
    }
}
