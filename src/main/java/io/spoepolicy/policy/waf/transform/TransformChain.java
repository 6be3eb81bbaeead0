package io.spoepolicy.policy.waf.transform;

import java.util.ArrayList;
import java.util.List;

/**
 * The transformations of one rule, in order. Chains with equal content are shared (see
 * {@link TransformChainRegistry}) so per-request caches can key on identity.
 */
public final class TransformChain {

    public static final TransformChain NONE = new TransformChain(List.of(), 0);

    private final Transformation[] steps;
    private final int id;

    TransformChain(List<Transformation> steps, int id) {
        this.steps = steps.toArray(new Transformation[0]);
        this.id = id;
    }

    /** Small dense number, unique per registry, for cache keys. */
    public int id() {
        return id;
    }

    public boolean isEmpty() {
        return steps.length == 0;
    }

    public List<Transformation> steps() {
        return List.of(steps);
    }

    /** The value after all transformations. */
    public String apply(String value) {
        String v = value;
        for (Transformation t : steps) {
            v = t.apply(v);
        }
        return v;
    }

    /**
     * The input and every distinct intermediate result, for {@code multiMatch}; the last element
     * is the fully transformed value.
     */
    public List<String> stages(String value) {
        List<String> out = new ArrayList<>(steps.length + 1);
        out.add(value);
        String v = value;
        for (Transformation t : steps) {
            String next = t.apply(v);
            if (!next.equals(v)) {
                out.add(next);
            }
            v = next;
        }
        return out;
    }

    @Override
    public String toString() {
        return steps().toString();
    }
}
