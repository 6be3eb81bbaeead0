package io.spoepolicy.policy.waf.regex;

/**
 * The RE2-syntax reader or one of its builders met syntax it does not model exactly; the caller
 * then falls back to plain RE2J (no prefilter, no DFA) for that pattern.
 */
public final class UnsupportedRegexException extends Exception {

    private static final long serialVersionUID = 1L;

    public UnsupportedRegexException(String reason) {
        super(reason, null, false, false);
    }
}
