package io.spoepolicy.policy.waf.seclang;

import java.util.List;

/** One configuration directive with its unquoted arguments and where it was read. */
public record Directive(String name, List<String> args, String source) {

    public Directive {
        args = List.copyOf(args);
    }

    public String arg(int i) {
        return i < args.size() ? args.get(i) : null;
    }
}
