package io.spoepolicy.policy.waf.rules;

/** A rule uses something the engine does not implement; the rule is skipped and reported. */
public class UnsupportedConstructException extends Exception {

    public UnsupportedConstructException(String message) {
        super(message);
    }
}
