package io.spoepolicy.policy.waf.transform;

import java.util.ArrayDeque;
import java.util.Deque;

/** {@code normalizePath} / {@code normalizePathWin}: resolves {@code //}, {@code ./} and {@code ../}. */
public final class PathNormalizer {

    private PathNormalizer() {}

    public static String normalize(String s, boolean windows) {
        String p = windows ? s.replace('\\', '/') : s;
        if (p.isEmpty() || alreadyNormal(p)) {
            return p;
        }
        boolean absolute = p.charAt(0) == '/';
        boolean trailing = p.endsWith("/") || p.endsWith("/.") || p.endsWith("/..")
                || p.equals(".") || p.equals("..");
        Deque<String> segments = new ArrayDeque<>();
        for (String seg : p.split("/", -1)) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.equals("..")) {
                if (!segments.isEmpty() && !segments.peekLast().equals("..")) {
                    segments.removeLast();
                } else if (!absolute) {
                    segments.addLast("..");
                }
            } else {
                segments.addLast(seg);
            }
        }
        StringBuilder out = new StringBuilder(p.length());
        if (absolute) {
            out.append('/');
        }
        out.append(String.join("/", segments));
        if (trailing && !segments.isEmpty()) {
            out.append('/');
        }
        return out.toString();
    }

    /**
     * No empty, {@code .} or {@code ..} segment apart from the leading and trailing slash: the
     * result would be equal, so the common case allocates nothing.
     */
    private static boolean alreadyNormal(String p) {
        return !p.contains("//") && !p.contains("/./") && !p.contains("/../") && !p.startsWith("./")
                && !p.startsWith("../") && !p.endsWith("/.") && !p.endsWith("/..") && !p.equals(".") && !p.equals("..");
    }
}
