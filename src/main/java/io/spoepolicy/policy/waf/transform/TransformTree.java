package io.spoepolicy.policy.waf.transform;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * All transformation chains of a rule set as one prefix tree: a chain is a node, and a node's
 * value is its last step applied to its parent's value. CRS chains share long prefixes
 * ({@code urlDecodeUni}, then {@code htmlEntityDecode}, then {@code lowercase}...), so a per-request
 * cache indexed by node computes each prefix once per value, whatever chain asked first.
 * Immutable once built; node 0 is the untransformed value.
 */
public final class TransformTree {

    private final int[] parents;
    private final Transformation[] steps;
    private final Map<TransformChain, Integer> nodes;

    private TransformTree(int[] parents, Transformation[] steps, Map<TransformChain, Integer> nodes) {
        this.parents = parents;
        this.steps = steps;
        this.nodes = nodes;
    }

    /** The tree of {@code chains}; duplicates and {@link TransformChain#NONE} are fine. */
    public static TransformTree of(Iterable<TransformChain> chains) {
        List<Integer> parents = new ArrayList<>(List.of(-1));
        List<Transformation> steps = new ArrayList<>();
        steps.add(null);
        Map<Long, Integer> children = new HashMap<>();
        Map<TransformChain, Integer> nodes = new HashMap<>();
        for (TransformChain chain : chains) {
            int node = 0;
            for (Transformation t : chain.steps()) {
                long key = ((long) node << 8) | t.ordinal();
                Integer child = children.get(key);
                if (child == null) {
                    child = parents.size();
                    parents.add(node);
                    steps.add(t);
                    children.put(key, child);
                }
                node = child;
            }
            nodes.put(chain, node);
        }
        return new TransformTree(parents.stream().mapToInt(Integer::intValue).toArray(),
                steps.toArray(new Transformation[0]), Map.copyOf(nodes));
    }

    /** The node of a chain given to {@link #of}. */
    public int node(TransformChain chain) {
        Integer node = nodes.get(chain);
        if (node == null) {
            throw new IllegalArgumentException("chain not in this tree: " + chain);
        }
        return node;
    }

    /** Number of nodes, root included: the size of a per-value cache. */
    public int size() {
        return parents.length;
    }

    /** The parent node; -1 for the root. */
    public int parent(int node) {
        return parents[node];
    }

    /** The step that leads from the parent to this node; {@code null} for the root. */
    public Transformation step(int node) {
        return steps[node];
    }

    /** Distance from the root: the number of transformations of the node's chain. */
    public int depth(int node) {
        int d = 0;
        for (int n = node; n > 0; n = parents[n]) {
            d++;
        }
        return d;
    }
}
