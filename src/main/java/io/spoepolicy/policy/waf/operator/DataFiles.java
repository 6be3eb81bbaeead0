package io.spoepolicy.policy.waf.operator;

import java.io.IOException;
import java.util.List;

/** Reads {@code @pmFromFile} phrase files, resolved relative to the rule file's directory. */
@FunctionalInterface
public interface DataFiles {

    /** The raw lines of the named file. */
    List<String> lines(String name) throws IOException;
}
