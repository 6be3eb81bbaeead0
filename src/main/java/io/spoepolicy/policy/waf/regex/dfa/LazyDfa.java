package io.spoepolicy.policy.waf.regex.dfa;

import java.util.HashMap;
import java.util.Map;

/**
 * A {@link RegexDfa} for patterns whose full DFA is too large to build (CRS's command and XSS
 * evasion patterns): states are built as inputs reach them, as RE2's DFA does, and kept. Benign
 * traffic visits few of them. Once {@code maxBytes} are held a scan that needs a new one answers
 * {@link #UNKNOWN} (the caller runs RE2J): memory stays bounded and an input crafted to explore
 * states costs what RE2J costs, no more.
 *
 * <p>Thread-safe: new states are built under a lock; scans read transitions without one. A state's
 * fields are final, so a scan that sees a reference written by another thread sees the state
 * complete; a transition not yet visible reads as {@code null} and takes the lock.
 */
final class LazyDfa implements RegexDfa {

    private static final State MATCH_STATE = new State(null, false, 0);

    private final DfaCompiler compiler;
    private final Alphabet alphabet;
    private final long maxBytes;
    /** Guarded by {@code this}: estimated heap of the states built. */
    private long bytes;
    private final boolean exact;
    private final State initial;
    /** Guarded by {@code this}. */
    private final Map<DfaCompiler.Key, State> states = new HashMap<>();

    private static final class State {
        final DfaCompiler.Key key;
        final boolean acceptAtEnd;
        final State[] next;

        State(DfaCompiler.Key key, boolean acceptAtEnd, int classes) {
            this.key = key;
            this.acceptAtEnd = acceptAtEnd;
            this.next = new State[classes];
        }
    }

    LazyDfa(DfaCompiler compiler, long maxBytes, boolean exact) {
        this.compiler = compiler;
        this.alphabet = new Alphabet(compiler.boundaries());
        this.maxBytes = maxBytes;
        this.exact = exact;
        synchronized (this) {
            this.initial = intern(compiler.initialKey());
        }
    }

    @Override
    public int search(CharSequence input) {
        State state = initial;
        int n = input.length();
        int i = 0;
        while (i < n) {
            // A pair is one code point, as RE2J reads it; an unpaired surrogate is itself.
            int c = Character.codePointAt(input, i);
            i += Character.charCount(c);
            int cls = alphabet.classOf(c);
            State next = state.next[cls];
            if (next == null) {
                next = build(state, cls);
                if (next == null) {
                    return UNKNOWN;
                }
            }
            if (next == MATCH_STATE) {
                return YES;
            }
            state = next;
        }
        return state.acceptAtEnd ? YES : NO;
    }

    /** The transition, built now; {@code null} when that needs a state beyond the bound. */
    private synchronized State build(State from, int cls) {
        State known = from.next[cls];
        if (known != null) {
            return known;
        }
        DfaCompiler.Key key = compiler.step(from.key, cls);
        State to = key == null ? MATCH_STATE : intern(key);
        if (to != null) {
            from.next[cls] = to;
        }
        return to;
    }

    /** Guarded by {@code this}. */
    private State intern(DfaCompiler.Key key) {
        State s = states.get(key);
        if (s == null) {
            long cost = bytesPerState(alphabet.size(), key.nfaStates().length);
            if (bytes + cost > maxBytes || states.size() >= TableDfa.MAX_STATES) {
                return null;
            }
            s = new State(key, compiler.acceptsAtEnd(key), alphabet.size());
            states.put(key, s);
            bytes += cost;
        }
        return s;
    }

    @Override
    public boolean lazy() {
        return true;
    }

    @Override
    public boolean exact() {
        return exact;
    }

    @Override
    public synchronized int states() {
        return states.size();
    }

    /** The bound. */
    @Override
    public long tableBytes() {
        return maxBytes + alphabet.bytes();
    }

    /** What the states built so far hold (estimated). */
    public synchronized long usedBytes() {
        return bytes + alphabet.bytes();
    }

    /**
     * A state's heap: a reference per class, its NFA state set, the state, key and map entry
     * objects (compressed references).
     */
    static long bytesPerState(int classes, int nfaStates) {
        return 16 + 4L * classes + 16 + 4L * nfaStates + 24 + 24 + 48;
    }

    @Override
    public String toString() {
        return "LazyDfa[" + states() + " states, " + usedBytes() + " of at most " + tableBytes() + " bytes, "
                + alphabet.size() + " classes, "
                + (exact ? "exact" : "upper bound") + "]";
    }
}
