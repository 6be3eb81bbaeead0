package io.spoepolicy.policy.waf.prefilter;

/** The literal analysis met syntax it does not model; the regex then runs without a prefilter. */
final class UnsupportedRegexException extends Exception {

    private static final long serialVersionUID = 1L;

    UnsupportedRegexException(String reason) {
        super(reason, null, false, false);
    }
}
