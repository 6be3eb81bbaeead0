package io.spoepolicy.policy.waf.eval;

import io.spoepolicy.policy.waf.InspectionCap;
import io.spoepolicy.policy.waf.operator.OperatorContext;
import io.spoepolicy.policy.waf.request.Entry;
import io.spoepolicy.policy.waf.request.RequestData;
import io.spoepolicy.policy.waf.rules.Ctl;
import io.spoepolicy.policy.waf.rules.Macro;
import io.spoepolicy.policy.waf.rules.Rule;
import io.spoepolicy.policy.waf.rules.Target;
import io.spoepolicy.policy.waf.rules.Variable;
import io.spoepolicy.policy.waf.transform.TransformTree;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The mutable state of one evaluation: TX variables, matched variables, captures, rule removals
 * made by {@code ctl}, the transformation cache and the outcome so far. One per request, never
 * shared between threads.
 */
public final class Transaction implements OperatorContext, Macro.Resolver {

    private static final Variable[] VARIABLES = Variable.values();

    private final RequestData request;
    private final Map<String, String> tx;
    private final long deadlineNanos;

    /** Characters given to operators since the evaluator last read the clock. */
    int work;

    /**
     * Transformation results per value, keyed by the value's identity (request values are built
     * once per request, so equal values from the same source are the same object) and indexed by
     * transformation-tree node. Identity keeps lookups free of hashing and comparing long values.
     */
    private final IdentityHashMap<String, String[]> transformed = new IdentityHashMap<>(64);
    private TransformTree transforms;
    /** Key-pattern selector results per interned pattern, keyed by the key's identity. */
    private IdentityHashMap<String, Boolean>[] selected;
    private KeySelector[] selectors;
    /** Variable views built once per request (names lists, scalars); see {@link #values}. */
    private final List<Entry>[] views = newViews();

    /** TX as entries, rebuilt only after TX changed: dozens of rules read TX per request. */
    private List<Entry> txEntries;
    /** Two match buffers used in turn: one link reads the previous link's matches while filling the other. */
    private final List<Entry> matchBufferA = new ArrayList<>();
    private final List<Entry> matchBufferB = new ArrayList<>();
    private List<Entry> matchedVars = matchBufferA;
    private List<Entry> linkMatches = matchBufferA;
    private String matchedVar = "";
    private String matchedVarName = "";
    private Rule currentRule;
    private boolean captureEnabled;

    private final List<long[]> removedIds = new ArrayList<>();
    private final Set<String> removedTags = new HashSet<>();
    private final Map<Long, List<Target>> removedTargetsById = new HashMap<>();
    private final List<Map.Entry<String, Target>> removedTargetsByTag = new ArrayList<>();
    /** Bit per {@link Variable} ordinal with a ctl target removal: most values need no further look. */
    private long ctlRemovedVariables;

    private final LinkedHashSet<Long> loggedIds = new LinkedHashSet<>();
    private String firstMessage;
    private String denyMessage;
    private boolean wouldDeny;
    private boolean engineOff;

    public Transaction(RequestData request, Map<String, String> initialTx, long deadlineNanos) {
        this.request = request;
        this.tx = new LinkedHashMap<>(initialTx);
        this.deadlineNanos = deadlineNanos;
    }

    public RequestData request() {
        return request;
    }

    // ---- rule bookkeeping -------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    private static List<Entry>[] newViews() {
        return new List[VARIABLES.length];
    }

    /** Sizes the caches for the evaluator's rules; called once before evaluation. */
    @SuppressWarnings("unchecked")
    void bind(TransformTree transforms, KeySelector[] selectors) {
        this.transforms = transforms;
        this.selectors = selectors;
        this.selected = new IdentityHashMap[selectors.length];
    }

    void beginRule(Rule rule) {
        currentRule = rule;
        matchBufferA.clear();
        matchBufferB.clear();
        matchedVars = matchBufferA;
        linkMatches = matchBufferA;
    }

    void beginLink(Rule link) {
        captureEnabled = link.actions().capture();
        matchedVars = linkMatches;
        linkMatches = matchedVars == matchBufferA ? matchBufferB : matchBufferA;
        linkMatches.clear();
    }

    void recordMatch(String name, String value) {
        matchedVar = value;
        matchedVarName = name;
        linkMatches.add(new Entry(name, value));
    }

    /** Moves this link's matches to MATCHED_VARS for the next link. */
    void endLink() {
        matchedVars = linkMatches;
    }

    boolean isRemoved(Rule rule) {
        long id = rule.id();
        for (int i = 0, n = removedIds.size(); i < n; i++) {
            long[] range = removedIds.get(i);
            if (id >= range[0] && id <= range[1]) {
                return true;
            }
        }
        if (!removedTags.isEmpty()) {
            for (String tag : rule.actions().tags()) {
                if (removedTags.contains(tag)) {
                    return true;
                }
            }
        }
        return false;
    }

    public void removeRuleIds(List<long[]> ranges) {
        removedIds.addAll(ranges);
    }

    public void removeTag(String tag) {
        removedTags.add(tag);
    }

    void applyCtl(Ctl ctl) {
        switch (ctl.kind()) {
            case RULE_REMOVE_BY_ID -> removedIds.addAll(ctl.idRanges());
            case RULE_REMOVE_BY_TAG -> removedTags.add(expand(Macro.parse(ctl.argument())));
            case RULE_REMOVE_TARGET_BY_ID -> {
                for (long[] r : ctl.idRanges()) {
                    for (long id = r[0]; id <= r[1] && id - r[0] < 10_000; id++) {
                        removedTargetsById.computeIfAbsent(id, k -> new ArrayList<>()).add(ctl.target());
                    }
                }
                ctlRemovedVariables |= 1L << ctl.target().variable().ordinal();
            }
            case RULE_REMOVE_TARGET_BY_TAG -> {
                removedTargetsByTag.add(Map.entry(ctl.argument(), ctl.target()));
                ctlRemovedVariables |= 1L << ctl.target().variable().ordinal();
            }
            case REQUEST_BODY_PROCESSOR -> {
                request.parseBody(ctl.argument().toUpperCase(Locale.ROOT));
                java.util.Arrays.fill(views, null);
            }
            case RULE_ENGINE -> engineOff = ctl.argument().equalsIgnoreCase("off");
            case NO_OP -> { }
        }
    }

    /** Whether a value of {@code variable} with {@code key} is excluded for {@code starter} by a ctl. */
    boolean excludedByCtl(Rule starter, Variable variable, String key) {
        if ((ctlRemovedVariables & (1L << variable.ordinal())) == 0) {
            return false;
        }
        if (!removedTargetsById.isEmpty()) {
            List<Target> targets = removedTargetsById.get(starter.id());
            if (targets != null) {
                for (Target t : targets) {
                    if (t.variable() == variable && t.selects(key)) {
                        return true;
                    }
                }
            }
        }
        for (Map.Entry<String, Target> e : removedTargetsByTag) {
            Target t = e.getValue();
            if (t.variable() == variable && t.selects(key) && starter.actions().tags().contains(e.getKey())) {
                return true;
            }
        }
        return false;
    }

    boolean engineOff() {
        return engineOff;
    }

    /** Past the deadline, or the evaluation was cancelled (its thread interrupted): stop. */
    boolean outOfTime() {
        return (deadlineNanos != 0 && System.nanoTime() - deadlineNanos > 0) || Thread.currentThread().isInterrupted();
    }

    // ---- outcome ----------------------------------------------------------------------------

    void logged(long id, String message) {
        loggedIds.add(id);
        if (firstMessage == null && message != null && !message.isEmpty()) {
            firstMessage = message;
        }
    }

    void denied(String message) {
        if (!wouldDeny) {
            wouldDeny = true;
            denyMessage = message;
        }
    }

    public List<Long> loggedIds() {
        return List.copyOf(loggedIds);
    }

    public boolean wouldDeny() {
        return wouldDeny;
    }

    /** The deny message, followed by the first detection's message that led to it. */
    public String message() {
        if (denyMessage != null) {
            return firstMessage == null || firstMessage.equals(denyMessage) ? denyMessage
                    : denyMessage + "; " + firstMessage;
        }
        return firstMessage != null ? firstMessage : "";
    }

    public Set<InspectionCap> caps() {
        return request.caps();
    }

    public String tx(String key) {
        return tx.get(key.toLowerCase(Locale.ROOT));
    }

    // ---- TX ---------------------------------------------------------------------------------

    void setTx(String key, String value) {
        tx.put(key.toLowerCase(Locale.ROOT), value);
        txEntries = null;
    }

    void deleteTx(String key) {
        tx.remove(key.toLowerCase(Locale.ROOT));
        txEntries = null;
    }

    // ---- transformations --------------------------------------------------------------------

    /** {@code entry}'s value after the transformations of tree node {@code node}, each prefix once. */
    String transformed(Entry entry, int node) {
        if (node == 0) {
            return entry.value();
        }
        return transformed(entry.value(), node, entry.transformed(transforms.size()));
    }

    /** Same for a value that is no entry (a count, a TX value): cached by the value's identity. */
    String transformed(String value, int node) {
        if (node == 0) {
            return value;
        }
        String[] results = transformed.get(value);
        if (results == null) {
            results = new String[transforms.size()];
            transformed.put(value, results);
        }
        return transformed(value, node, results);
    }

    private String transformed(String value, int node, String[] results) {
        String result = results[node];
        if (result == null) {
            int parent = transforms.parent(node);
            String input = parent == 0 ? value : transformed(value, parent, results);
            result = transforms.step(node).apply(input);
            results[node] = result;
        }
        return result;
    }

    /** Whether interned key pattern {@code selector} finds a match in {@code key}, once per key. */
    boolean selects(int selector, String key) {
        KeySelector s = selectors[selector];
        if (!s.costly()) {
            return s.find(key);
        }
        IdentityHashMap<String, Boolean> cache = selected[selector];
        if (cache == null) {
            cache = new IdentityHashMap<>();
            selected[selector] = cache;
        }
        Boolean hit = cache.get(key);
        if (hit == null) {
            hit = s.find(key);
            cache.put(key, hit);
        }
        return hit;
    }

    // ---- variables --------------------------------------------------------------------------

    /** Whether a collection has no values at all (scalars always have one). */
    boolean isEmpty(Variable v) {
        RequestData r = request;
        return switch (v) {
            case ARGS, ARGS_NAMES -> r.argsGet.isEmpty() && r.argsPost.isEmpty();
            case ARGS_GET, ARGS_GET_NAMES -> r.argsGet.isEmpty();
            case ARGS_POST, ARGS_POST_NAMES -> r.argsPost.isEmpty();
            case REQUEST_HEADERS, REQUEST_HEADERS_NAMES -> r.headers.isEmpty();
            case REQUEST_COOKIES, REQUEST_COOKIES_NAMES -> r.cookies.isEmpty();
            case FILES -> r.files.isEmpty();
            case FILES_NAMES -> r.fileNames.isEmpty();
            case MULTIPART_PART_HEADERS -> r.multipartPartHeaders.isEmpty();
            case XML -> r.xml.isEmpty();
            case TX -> tx.isEmpty();
            case MATCHED_VARS, MATCHED_VARS_NAMES -> matchedVars.isEmpty();
            default -> false;
        };
    }

    /**
     * Values of a variable as collection entries (scalars have one entry with an empty key). Views
     * that cannot change during evaluation are built once; TX and the matched variables change.
     */
    List<Entry> values(Variable v) {
        switch (v) {
            case TX, MATCHED_VAR, MATCHED_VAR_NAME, MATCHED_VARS, MATCHED_VARS_NAMES, UNIQUE_ID:
                return compute(v);
            default:
                List<Entry> view = views[v.ordinal()];
                if (view == null) {
                    view = compute(v);
                    views[v.ordinal()] = view;
                }
                return view;
        }
    }

    private List<Entry> compute(Variable v) {
        RequestData r = request;
        return switch (v) {
            case ARGS -> args();
            case ARGS_GET -> r.argsGet;
            case ARGS_POST -> r.argsPost;
            case ARGS_NAMES -> argNames();
            case ARGS_GET_NAMES -> names(r.argsGet);
            case ARGS_POST_NAMES -> names(r.argsPost);
            case ARGS_COMBINED_SIZE -> scalar(Long.toString(combinedSize(r)));
            case REQUEST_HEADERS -> r.headers;
            case REQUEST_HEADERS_NAMES -> names(r.headers);
            case REQUEST_COOKIES -> r.cookies;
            case REQUEST_COOKIES_NAMES -> names(r.cookies);
            case FILES -> r.files;
            case FILES_NAMES -> r.fileNames;
            case FILES_COMBINED_SIZE -> scalar(Long.toString(r.filesCombinedSize));
            case MULTIPART_PART_HEADERS -> r.multipartPartHeaders;
            case XML -> r.xml;
            case TX -> txEntries();
            case MATCHED_VAR -> scalar(matchedVar);
            case MATCHED_VAR_NAME -> scalar(matchedVarName);
            case MATCHED_VARS -> matchedVars;
            case MATCHED_VARS_NAMES -> names(matchedVars);
            case REQUEST_LINE -> scalar(r.requestLine);
            case REQUEST_METHOD -> scalar(r.method);
            case REQUEST_PROTOCOL -> scalar(r.protocol);
            case REQUEST_URI -> scalar(r.uri);
            case REQUEST_URI_RAW -> scalar(r.uriRaw);
            case REQUEST_FILENAME -> scalar(r.filename);
            case REQUEST_BASENAME -> scalar(r.basename);
            case QUERY_STRING -> scalar(r.queryString);
            case REQUEST_BODY -> scalar(r.requestBody());
            case REQUEST_BODY_LENGTH -> scalar(Integer.toString(r.bodyLength));
            case REQBODY_PROCESSOR -> scalar(r.bodyProcessor);
            case REMOTE_ADDR -> scalar(r.remoteAddr);
            case UNIQUE_ID -> scalar(Integer.toHexString(System.identityHashCode(this)) + Long.toHexString(System.nanoTime()));
        };
    }

    private List<Entry> txEntries() {
        if (txEntries == null) {
            List<Entry> out = new ArrayList<>(tx.size());
            for (Map.Entry<String, String> e : tx.entrySet()) {
                out.add(new Entry(e.getKey(), e.getValue()));
            }
            txEntries = out;
        }
        return txEntries;
    }

    private List<Entry> args() {
        return concat(request.argsGet, request.argsPost);
    }

    private List<Entry> argNames() {
        return names(values(Variable.ARGS));
    }

    private static long combinedSize(RequestData r) {
        long size = 0;
        for (Entry e : r.argsGet) {
            size += e.key().length() + e.value().length();
        }
        for (Entry e : r.argsPost) {
            size += e.key().length() + e.value().length();
        }
        return size;
    }

    private static List<Entry> scalar(String value) {
        return List.of(new Entry("", value == null ? "" : value));
    }

    private static List<Entry> concat(List<Entry> a, List<Entry> b) {
        if (b.isEmpty()) {
            return a;
        }
        if (a.isEmpty()) {
            return b;
        }
        List<Entry> all = new ArrayList<>(a.size() + b.size());
        all.addAll(a);
        all.addAll(b);
        return all;
    }

    private static List<Entry> names(List<Entry> entries) {
        List<Entry> out = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            out.add(new Entry(e.key(), e.key()));
        }
        return out;
    }

    // ---- OperatorContext and macros ---------------------------------------------------------

    @Override
    public String expand(Macro macro) {
        return macro.isConstant() ? macro.text() : macro.expand(this);
    }

    @Override
    public boolean captureEnabled() {
        return captureEnabled;
    }

    @Override
    public void capture(int index, String value) {
        tx.put(Integer.toString(index), value);
        txEntries = null;
    }

    @Override
    public String resolve(Macro.Ref ref) {
        switch (ref.variable()) {
            case "TX":
                return ref.key() == null ? null : tx.get(ref.key());
            case "MATCHED_VAR":
                return matchedVar;
            case "MATCHED_VAR_NAME":
                return matchedVarName;
            case "RULE":
                if (currentRule == null || ref.key() == null) {
                    return null;
                }
                return ref.key().equals("id") ? Long.toString(currentRule.id()) : null;
            default:
                Variable v = Variable.byName(ref.variable());
                if (v == null) {
                    return null;
                }
                for (Entry e : values(v)) {
                    if (ref.key() == null || e.key().equalsIgnoreCase(ref.key())) {
                        return e.value();
                    }
                }
                return null;
        }
    }
}
