package io.spoepolicy.policy.waf;

import io.spoepolicy.policy.waf.crs.CrsDirectory;
import io.spoepolicy.policy.waf.operator.DataFiles;
import io.spoepolicy.policy.waf.operator.OperatorFactory;
import io.spoepolicy.policy.waf.operator.RegexOptions;
import io.spoepolicy.policy.waf.seclang.SecLangCompiler;
import io.spoepolicy.policy.waf.seclang.SecLangReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Loads rules: the project's built-in set from the classpath, or an OWASP CRS directory (setup,
 * request rules, data files), each optionally followed by operator-supplied SecLang files
 * (exclusions, {@code SecRuleRemoveById}, custom rules). Files are read as bytes (ISO-8859-1) so
 * that patterns match the byte view of requests.
 */
public final class WafRulesLoader {

    /** Classpath folder of the built-in rules and their data files. */
    public static final String BUILTIN_FOLDER = "waf/";
    public static final String BUILTIN_RULES = BUILTIN_FOLDER + "builtin-rules.conf";

    private WafRulesLoader() {}

    public static WafRules builtIn(List<Path> extraFiles) throws IOException {
        return builtIn(extraFiles, RegexOptions.DEFAULT);
    }

    public static WafRules builtIn(List<Path> extraFiles, RegexOptions regexOptions) throws IOException {
        ClassLoader cl = WafRulesLoader.class.getClassLoader();
        DataFiles data = name -> Arrays.asList(resource(cl, BUILTIN_FOLDER + name).split("\r?\n"));
        Session s = new Session(data, regexOptions);
        s.add(resource(cl, BUILTIN_RULES), "classpath:" + BUILTIN_RULES);
        s.addFiles(extraFiles);
        return s.finish();
    }

    public static WafRules crs(Path crsDir, List<Path> extraFiles) throws IOException {
        return crs(crsDir, extraFiles, RegexOptions.DEFAULT);
    }

    public static WafRules crs(Path crsDir, List<Path> extraFiles, RegexOptions regexOptions) throws IOException {
        CrsDirectory crs = CrsDirectory.open(crsDir);
        DataFiles data = name -> Files.readAllLines(crs.rulesDir().resolve(name), StandardCharsets.ISO_8859_1);
        Session s = new Session(data, regexOptions);
        if (crs.setupFile() != null) {
            s.addFiles(List.of(crs.setupFile()));
        }
        s.addFiles(crs.requestRuleFiles());
        s.addFiles(extraFiles);
        return s.finish();
    }

    /** Rules from SecLang text, e.g. for tests; data files resolve against {@code dataDir}. */
    public static WafRules fromText(String seclang, Path dataDir) {
        DataFiles data = name -> Files.readAllLines(dataDir.resolve(name), StandardCharsets.ISO_8859_1);
        Session s = new Session(data, RegexOptions.DEFAULT);
        s.add(seclang, "inline");
        return s.finish();
    }

    private static String resource(ClassLoader cl, String name) throws IOException {
        try (InputStream in = cl.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing classpath resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /** One load: all files go through one compiler so later files can update earlier rules. */
    private static final class Session {
        private final OperatorFactory operators;
        private final SecLangCompiler compiler;
        private final List<String> sources = new ArrayList<>();

        Session(DataFiles data, RegexOptions regexOptions) {
            this.operators = new OperatorFactory(data, regexOptions);
            this.compiler = new SecLangCompiler(operators);
        }

        void add(String text, String name) {
            sources.add(name);
            compiler.compile(SecLangReader.read(text, name));
        }

        void addFiles(List<Path> files) throws IOException {
            for (Path p : files) {
                add(Files.readString(p, StandardCharsets.ISO_8859_1), p.getFileName().toString());
            }
        }

        WafRules finish() {
            var ruleSet = compiler.build();
            return new WafRules(ruleSet, new WafLoadReport(sources, ruleSet.ruleCount(),
                    compiler.skipped(), compiler.degraded(), operators.regexReport()), operators.lazyDfaStats());
        }
    }
}
