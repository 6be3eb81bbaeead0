package io.spoepolicy.policy.waf.operator;

/** {@code @pm} and {@code @pmFromFile}: any of many phrases, case-insensitive. */
public record PhraseOperator(AhoCorasick automaton) implements Operator {

    @Override
    public boolean matches(String input, OperatorContext context) {
        String found = automaton.find(input);
        if (found == null) {
            return false;
        }
        if (context.captureEnabled()) {
            context.capture(0, found);
        }
        return true;
    }
}
