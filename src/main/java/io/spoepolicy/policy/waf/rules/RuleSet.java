package io.spoepolicy.policy.waf.rules;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiled rules per phase, in file order, with {@code SecMarker} positions so that
 * {@code skipAfter} is an index jump. Immutable and shared by all evaluations.
 */
public final class RuleSet {

    /** Phases evaluated for a request; response phases are never loaded. */
    public static final int[] REQUEST_PHASES = {1, 2};

    /** The program of one phase. {@code rules[i] == null} marks a {@code SecMarker}. */
    public record PhaseProgram(Rule[] rules, Map<String, Integer> markers) {

        /** Index of the first step after the marker, or the end when the marker is unknown. */
        public int indexAfter(String marker) {
            Integer at = markers.get(marker);
            return at == null ? rules.length : at + 1;
        }
    }

    private final PhaseProgram[] phases;
    private final int ruleCount;

    private RuleSet(PhaseProgram[] phases, int ruleCount) {
        this.phases = phases;
        this.ruleCount = ruleCount;
    }

    public PhaseProgram phase(int phase) {
        return phases[phase];
    }

    /** Number of top-level rules (chains count once). */
    public int ruleCount() {
        return ruleCount;
    }

    /** Collects rules and markers in file order. */
    public static final class Builder {
        private final List<Object> steps = new ArrayList<>();

        public Builder add(Rule rule) {
            steps.add(rule);
            return this;
        }

        public Builder marker(String name) {
            steps.add(name);
            return this;
        }

        /** Replaces every rule with this id (used by {@code SecRuleUpdateTarget*}). */
        public boolean update(long id, java.util.function.UnaryOperator<Rule> change) {
            boolean found = false;
            for (int i = 0; i < steps.size(); i++) {
                if (steps.get(i) instanceof Rule r && r.id() == id) {
                    steps.set(i, change.apply(r));
                    found = true;
                }
            }
            return found;
        }

        public void removeIf(java.util.function.Predicate<Rule> predicate) {
            steps.removeIf(s -> s instanceof Rule r && predicate.test(r));
        }

        public List<Rule> rules() {
            List<Rule> rules = new ArrayList<>();
            for (Object s : steps) {
                if (s instanceof Rule r) {
                    rules.add(r);
                }
            }
            return rules;
        }

        public RuleSet build() {
            PhaseProgram[] programs = new PhaseProgram[6];
            int count = 0;
            for (int phase = 1; phase <= 5; phase++) {
                List<Rule> rules = new ArrayList<>();
                Map<String, Integer> markers = new HashMap<>();
                for (Object s : steps) {
                    if (s instanceof Rule r) {
                        if (r.phase() == phase) {
                            rules.add(r);
                            count++;
                        }
                    } else {
                        markers.put((String) s, rules.size());
                        rules.add(null);
                    }
                }
                programs[phase] = new PhaseProgram(rules.toArray(new Rule[0]), Map.copyOf(markers));
            }
            return new RuleSet(programs, count);
        }
    }
}
