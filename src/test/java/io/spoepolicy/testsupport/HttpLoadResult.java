package io.spoepolicy.testsupport;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The outcomes of an {@link HttpLoad} run, in request order. */
public record HttpLoadResult(List<HttpOutcome> outcomes, Duration elapsed) {

    public long countStatus(int status) {
        return outcomes.stream().filter(o -> o.status() == status).count();
    }

    /** Requests that got a response without the header, e.g. without the policy decision. */
    public long countMissingHeader(String header) {
        return outcomes.stream().filter(o -> !o.failed() && !o.hasHeader(header)).count();
    }

    public List<HttpOutcome> failures() {
        return outcomes.stream().filter(HttpOutcome::failed).toList();
    }

    public Map<Integer, Long> statusCounts() {
        return outcomes.stream().collect(Collectors.groupingBy(HttpOutcome::status, TreeMap::new, Collectors.counting()));
    }

    /** Counts of a header's values (missing counted as {@code "<none>"}), for readable assertion messages. */
    public Map<String, Long> headerCounts(String header) {
        Function<HttpOutcome, String> value = o -> o.header(header).orElse("<none>");
        return outcomes.stream().collect(Collectors.groupingBy(value, TreeMap::new, Collectors.counting()));
    }

    @Override
    public String toString() {
        return "HttpLoadResult[" + outcomes.size() + " requests in " + elapsed.toMillis() + " ms, statuses "
                + statusCounts() + (failures().isEmpty() ? "" : ", first failure: " + failures().get(0).error()) + "]";
    }
}
