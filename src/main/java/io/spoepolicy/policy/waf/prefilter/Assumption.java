package io.spoepolicy.policy.waf.prefilter;

/**
 * What the literal analysis may assume about the input, for regexes whose literals are padded
 * with evasion classes (CRS writes {@code b["'\)\[\x5c]*...u["'\)\[\x5c]*...s} so that quotes and
 * backslashes cannot split a command name). Two ASCII punctuation sets:
 * <ul>
 *   <li>{@code absent}: the analysis assumes none occurs, so an atom made only of them matches
 *       nothing; the scan then lets every value containing one of them through (it checks them as
 *       one-character literals), which keeps the assumption honest;</li>
 *   <li>{@code skipped}: the analysis works on the input with these deleted, so an atom made only
 *       of them matches the empty string; the scanner deletes them too (a self-loop).</li>
 * </ul>
 * Both are sound for any choice of sets; the choice only decides how many values reach the regex.
 */
record Assumption(String absent, String skipped) {

    /** No assumption: plain necessary literals. */
    static final Assumption NONE = new Assumption("", "");

    /**
     * The padding CRS uses, minus what benign values are full of: quotes, backslash, shell
     * metacharacters and brackets are rare in headers and form values and assumed absent;
     * {@code )} is common (user agents) and is skipped instead.
     */
    static final Assumption EVASION = new Assumption("\"'`\\$|&^[]{}<>", ")");

    /**
     * For patterns that still need {@code )} as a separator (CRS's {@code w[\s&\),<>|]}): it is
     * assumed absent too, so such patterns run on every value holding one (user agents).
     */
    static final Assumption EVASION_STRICT = new Assumption("\"'`\\$|&^[]{}<>)", "");

    Assumption {
        for (char c : (absent + skipped).toCharArray()) {
            if (c >= 128 || Character.isLetterOrDigit(c)) {
                throw new IllegalArgumentException("assumptions are about ASCII punctuation: " + c);
            }
            if (absent.indexOf(c) >= 0 && skipped.indexOf(c) >= 0) {
                throw new IllegalArgumentException("both absent and skipped: " + c);
            }
        }
    }

    boolean isAbsent(int c) {
        return c < 128 && absent.indexOf(c) >= 0;
    }

    boolean isSkipped(int c) {
        return c < 128 && skipped.indexOf(c) >= 0;
    }
}
