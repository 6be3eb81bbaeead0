package io.spoepolicy.policy.waf.regex.dfa;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link RegexDfa} for patterns whose full DFA is too large to build (CRS's command and XSS
 * evasion patterns): states are built as inputs reach them, as RE2's DFA does, within
 * {@code maxBytes}. Benign traffic visits few of them. When the states held reach the bound the
 * cache is cleared and rebuilt from empty (RE2's reset), so that a long-running process keeps
 * answering from the DFA whatever traffic came before. A pattern that fills its cache too fast for
 * the bytes it scans (an input crafted to explore states) is left to RE2J for a while: the scans
 * then answer {@link #UNKNOWN} and cost what RE2J costs, no more.
 *
 * <p>Thread-safe. The states live in generations: a generation's states link only to states of
 * the same generation, and only while it is the current one (all links are made under the lock,
 * after checking that). Scans read links without a lock; a state's fields are final, so a scan
 * that sees a reference written by another thread sees the state complete, and a link not yet
 * visible reads as {@code null} and takes the lock. A reset only replaces {@link #current}: scans
 * still walking the old generation read it unchanged (nothing writes to it any more) and, at
 * their next missing link, move to the state of the same key in the current generation, as RE2
 * carries its position over a reset. A state's meaning is its key (NFA state set and context),
 * so the answer is the one a scan without reset gives.
 */
final class LazyDfa implements RegexDfa {

    private static final State MATCH_STATE = new State(null, null, false, 0);

    /**
     * RE2's rule of thumb: a cache that scanned fewer than this many bytes per state it built
     * before it filled costs more than it saves (RE2 abandons the DFA for that search then).
     */
    static final int MIN_BYTES_PER_STATE = 10;
    /** Consecutive such caches after which the pattern is left to RE2J (RE2 tolerates one). */
    static final int THRASHING_RESETS = 2;
    /**
     * Bytes scanned by RE2J for a given-up pattern before its DFA is tried again, doubling at each
     * consecutive give-up up to {@link #MAX_PAUSE_SHIFT} doublings: an attack's burst does not
     * cost the DFA for good, and a pattern that thrashes all the time costs at most a few
     * percent over RE2J alone (two caches built every pause).
     */
    static final long FIRST_PAUSE_BYTES = 1 << 20;
    static final int MAX_PAUSE_SHIFT = 10;

    /** Guarded by {@code this} (its scratch arrays). */
    private final DfaCompiler compiler;
    private final Alphabet alphabet;
    private final long maxBytes;
    private final boolean exact;
    private final LazyDfaStats stats;
    /** Written under the lock, read by scans without it. */
    private volatile Generation current;
    /** Guarded by {@code this}: consecutive thrashing caches. */
    private int thrashing;
    /** Guarded by {@code this}: doublings of the next pause. */
    private int pauseShift;

    private static final class State {
        final DfaCompiler.Key key;
        final Generation generation;
        final boolean acceptAtEnd;
        final State[] next;

        State(DfaCompiler.Key key, Generation generation, boolean acceptAtEnd, int classes) {
            this.key = key;
            this.generation = generation;
            this.acceptAtEnd = acceptAtEnd;
            this.next = new State[classes];
        }
    }

    /** One cache of states, or (when {@link #initial} is {@code null}) a pause left to RE2J. */
    private static final class Generation {
        /** Set once, under the lock, before the generation is published. */
        State initial;
        /** Guarded by the DFA's lock. */
        final Map<DfaCompiler.Key, State> states = new HashMap<>();
        /** Guarded by the DFA's lock: estimated heap of the states built. */
        long bytes;
        /** Bytes scanned on this generation; for a pause, the bytes RE2J answered. */
        final LongAdder scanned = new LongAdder();
        /** For a pause: the scanned bytes after which the DFA is tried again. */
        final long pauseBytes;

        Generation(long pauseBytes) {
            this.pauseBytes = pauseBytes;
        }
    }

    LazyDfa(DfaCompiler compiler, long maxBytes, boolean exact) {
        this(compiler, maxBytes, exact, new LazyDfaStats());
    }

    LazyDfa(DfaCompiler compiler, long maxBytes, boolean exact, LazyDfaStats stats) {
        this.compiler = compiler;
        this.alphabet = new Alphabet(compiler.boundaries());
        this.maxBytes = maxBytes;
        this.exact = exact;
        this.stats = stats;
        synchronized (this) {
            this.current = fresh();
        }
    }

    @Override
    public int search(CharSequence input) {
        Generation g = current;
        State state = g.initial;
        int n = input.length();
        if (state == null) {
            return paused(g, n);
        }
        int i = 0;
        // Where this scan came onto the generation of its state (moves at a reset).
        int since = 0;
        while (i < n) {
            // A pair is one code point, as RE2J reads it; an unpaired surrogate is itself.
            int c = Character.codePointAt(input, i);
            i += Character.charCount(c);
            int cls = alphabet.classOf(c);
            State next = state.next[cls];
            if (next == null) {
                next = build(state, cls, i - since);
                if (next == null) {
                    return UNKNOWN;
                }
                if (next.generation != state.generation && next != MATCH_STATE) {
                    // Carried over to a newer generation: the scan goes on there.
                    state.generation.scanned.add(i - since);
                    since = i;
                }
            }
            if (next == MATCH_STATE) {
                state.generation.scanned.add(i - since);
                return YES;
            }
            state = next;
        }
        state.generation.scanned.add(n - since);
        return state.acceptAtEnd ? YES : NO;
    }

    private int paused(Generation pause, int n) {
        pause.scanned.add(n);
        if (pause.scanned.sum() >= pause.pauseBytes) {
            resume(pause);
        }
        return UNKNOWN;
    }

    private synchronized void resume(Generation pause) {
        if (current == pause) {
            current = fresh();
            stats.resumed();
        }
    }

    /**
     * The transition from {@code from} on {@code cls}, built now: a state of the current
     * generation (a new one if the cache was full), {@link #MATCH_STATE}, or {@code null} when the
     * pattern is left to RE2J. {@code pending}: bytes the calling scan read on {@code from}'s
     * generation, not yet counted in it.
     */
    private synchronized State build(State from, int cls, int pending) {
        Generation g = current;
        if (from.generation == g) {
            State known = from.next[cls];
            if (known != null) {
                return known;
            }
        }
        DfaCompiler.Key key = compiler.step(from.key, cls);
        if (key == null) {
            if (from.generation == g) {
                from.next[cls] = MATCH_STATE;
            }
            return MATCH_STATE;
        }
        for (int attempt = 0; ; attempt++) {
            if (g.initial == null) {
                return null;
            }
            State source = from.generation == g ? from : intern(g, from.key);
            State target = source == null ? null : intern(g, key);
            if (target != null) {
                source.next[cls] = target;
                return target;
            }
            if (attempt > 0) {
                // Not even an empty cache holds both (the bound is at least 16 one-NFA-state
                // states; these have large NFA sets): RE2J answers this value.
                return null;
            }
            g = reset(g, from.generation == g ? pending : 0);
        }
    }

    /**
     * Replaces the full generation {@code full} by an empty one or by a pause. {@code pending}:
     * bytes the scan that filled it read on it, not yet counted. Guarded by {@code this}.
     */
    private Generation reset(Generation full, int pending) {
        stats.reset();
        boolean thrashes = full.scanned.sum() + pending < (long) MIN_BYTES_PER_STATE * full.states.size();
        thrashing = thrashes ? thrashing + 1 : 0;
        if (!thrashes) {
            pauseShift = 0;
        }
        Generation next;
        if (thrashing >= THRASHING_RESETS) {
            thrashing = 0;
            next = new Generation(FIRST_PAUSE_BYTES << pauseShift);
            pauseShift = Math.min(pauseShift + 1, MAX_PAUSE_SHIFT);
            stats.gaveUp();
        } else {
            next = fresh();
        }
        current = next;
        return next;
    }

    /** A new empty cache with its initial state. Guarded by {@code this}. */
    private Generation fresh() {
        Generation g = new Generation(0);
        g.initial = intern(g, compiler.initialKey());
        return g;
    }

    /** Guarded by {@code this}; {@code null} when {@code g} is full. */
    private State intern(Generation g, DfaCompiler.Key key) {
        State s = g.states.get(key);
        if (s == null) {
            long cost = bytesPerState(alphabet.size(), key.nfaStates().length);
            if (g.bytes + cost > maxBytes || g.states.size() >= TableDfa.MAX_STATES) {
                return null;
            }
            s = new State(key, g, compiler.acceptsAtEnd(key), alphabet.size());
            g.states.put(key, s);
            g.bytes += cost;
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

    /** States in the current cache (0 while left to RE2J). */
    @Override
    public synchronized int states() {
        return current.states.size();
    }

    /** The bound. */
    @Override
    public long tableBytes() {
        return maxBytes + alphabet.bytes();
    }

    /** What the states of the current cache hold (estimated). */
    public synchronized long usedBytes() {
        return current.bytes + alphabet.bytes();
    }

    /** Whether the pattern is left to RE2J at the moment. */
    boolean re2jOnly() {
        return current.initial == null;
    }

    LazyDfaStats stats() {
        return stats;
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
                + (exact ? "exact" : "upper bound") + (re2jOnly() ? ", RE2J only for now" : "") + "]";
    }
}
