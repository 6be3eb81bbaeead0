package io.spoepolicy.policy.waf.operator;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.spoepolicy.policy.waf.detect.SqlInjectionDetector;
import io.spoepolicy.policy.waf.detect.XssDetector;
import io.spoepolicy.policy.waf.rules.Macro;
import io.spoepolicy.policy.waf.rules.UnsupportedConstructException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles operator text ({@code @rx ...}) into {@link Operator}s. Load-time only; keeps the
 * phrase automata of data files so rules sharing a file share one automaton.
 */
public final class OperatorFactory {

    private final DataFiles dataFiles;
    private final Map<String, AhoCorasick> fileAutomata = new HashMap<>();
    private final SqlInjectionDetector sqli = new SqlInjectionDetector();
    private final XssDetector xss = new XssDetector();

    private final RegexCompiler regexes;

    public OperatorFactory(DataFiles dataFiles) {
        this(dataFiles, RegexOptions.DEFAULT);
    }

    public OperatorFactory(DataFiles dataFiles, RegexOptions regexOptions) {
        this.dataFiles = dataFiles;
        this.regexes = new RegexCompiler(regexOptions);
    }

    /** What the {@code @rx} operators created so far hold. */
    public io.spoepolicy.policy.waf.WafRegexReport regexReport() {
        return regexes.report();
    }

    /** Live: what the lazily built {@code @rx} DFAs of this load do (cache resets, patterns given up). */
    public io.spoepolicy.policy.waf.regex.dfa.LazyDfaStats lazyDfaStats() {
        return regexes.lazyStats();
    }

    public Operator create(String name, String parameter) throws UnsupportedConstructException {
        String p = parameter == null ? "" : parameter;
        switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "rx":
                return regex(p);
            case "pm":
                return new PhraseOperator(AhoCorasick.build(List.of(p.trim().split("\\s+"))));
            case "pmfromfile":
            case "pmf":
                return new PhraseOperator(fromFiles(p));
            case "streq":
                return new StringOperator(StringOperator.Kind.STREQ, Macro.parse(p));
            case "beginswith":
                return new StringOperator(StringOperator.Kind.BEGINS_WITH, Macro.parse(p));
            case "endswith":
                return new StringOperator(StringOperator.Kind.ENDS_WITH, Macro.parse(p));
            case "contains":
                return new StringOperator(StringOperator.Kind.CONTAINS, Macro.parse(p));
            case "within":
                return new StringOperator(StringOperator.Kind.WITHIN, Macro.parse(p));
            case "eq":
                return new NumericOperator(NumericOperator.Kind.EQ, Macro.parse(p.trim()));
            case "ne":
                return new NumericOperator(NumericOperator.Kind.NE, Macro.parse(p.trim()));
            case "gt":
                return new NumericOperator(NumericOperator.Kind.GT, Macro.parse(p.trim()));
            case "ge":
                return new NumericOperator(NumericOperator.Kind.GE, Macro.parse(p.trim()));
            case "lt":
                return new NumericOperator(NumericOperator.Kind.LT, Macro.parse(p.trim()));
            case "le":
                return new NumericOperator(NumericOperator.Kind.LE, Macro.parse(p.trim()));
            case "ipmatch":
                return guarded(() -> IpMatchOperator.parse(p));
            case "validatebyterange":
                return guarded(() -> ByteRangeOperator.parse(p));
            case "validateurlencoding":
                return EncodingValidators.URL_ENCODING;
            case "validateutf8encoding":
                return EncodingValidators.UTF8_ENCODING;
            case "detectsqli":
                return new DetectorOperator(sqli::detect);
            case "detectxss":
                return new DetectorOperator(xss::detect);
            case "unconditionalmatch":
                return (input, ctx) -> true;
            case "nomatch":
                return (input, ctx) -> false;
            default:
                throw new UnsupportedConstructException("operator @" + name);
        }
    }

    private Operator regex(String p) throws UnsupportedConstructException {
        if (p.contains("%{")) {
            throw new UnsupportedConstructException("@rx with a macro in the pattern");
        }
        try {
            // ModSecurity compiles with PCRE_DOTALL | PCRE_DOLLAR_ENDONLY; RE2J's '$' already
            // means end of text only, DOTALL gives the rest.
            return regexes.operator(Pattern.compile(p, Pattern.DOTALL));
        } catch (PatternSyntaxException e) {
            throw new UnsupportedConstructException("@rx pattern RE2J cannot compile: " + e.getMessage());
        }
    }

    private AhoCorasick fromFiles(String p) throws UnsupportedConstructException {
        String key = p.trim();
        AhoCorasick cached = fileAutomata.get(key);
        if (cached != null) {
            return cached;
        }
        List<String> phrases = new ArrayList<>();
        for (String file : key.split("\\s+")) {
            if (file.startsWith("http:") || file.startsWith("https:")) {
                throw new UnsupportedConstructException("@pmFromFile from a URL");
            }
            try {
                for (String line : dataFiles.lines(file)) {
                    String t = line.trim();
                    if (!t.isEmpty() && !t.startsWith("#")) {
                        phrases.add(t);
                    }
                }
            } catch (IOException e) {
                throw new UnsupportedConstructException("@pmFromFile cannot read " + file + ": " + e);
            }
        }
        AhoCorasick built = AhoCorasick.build(phrases);
        fileAutomata.put(key, built);
        return built;
    }

    private interface Parse {
        Operator get();
    }

    private static Operator guarded(Parse parse) throws UnsupportedConstructException {
        try {
            return parse.get();
        } catch (RuntimeException e) {
            throw new UnsupportedConstructException("bad operator parameter: " + e.getMessage());
        }
    }
}
