package io.spoepolicy.policy.waf.regression;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Reads CRS's go-ftw regression YAML files ({@code tests/REQUEST-*}/*.yaml). */
final class FtwLoader {

    private FtwLoader() {}

    static List<FtwCase> load(Path testsDir) throws IOException {
        List<FtwCase> cases = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(testsDir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".yaml"))
                    .filter(p -> testsDir.relativize(p).toString().startsWith("REQUEST-"))
                    .sorted().toList();
        }
        for (Path f : files) {
            String ruleFile = testsDir.relativize(f).getName(0).toString();
            cases.addAll(parse(f, ruleFile));
        }
        return cases;
    }

    @SuppressWarnings("unchecked")
    private static List<FtwCase> parse(Path file, String ruleFile) throws IOException {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(16 * 1024 * 1024);
        Yaml yaml = new Yaml(new SafeConstructor(options));
        Map<String, Object> doc = null;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (Object d : yaml.loadAll(r)) {
                if (d instanceof Map<?, ?> m && doc == null) {
                    doc = (Map<String, Object>) m;
                }
            }
        }
        List<FtwCase> out = new ArrayList<>();
        if (doc == null) {
            return out;
        }
        long ruleId = number(doc.get("rule_id"));
        List<Map<String, Object>> tests = (List<Map<String, Object>>) doc.getOrDefault("tests", List.of());
        if (tests == null) {
            return out;
        }
        for (Map<String, Object> t : tests) {
            List<FtwStage> stages = new ArrayList<>();
            for (Map<String, Object> st : (List<Map<String, Object>>) t.getOrDefault("stages", List.of())) {
                Map<String, Object> stage = st.containsKey("stage") ? (Map<String, Object>) st.get("stage") : st;
                Map<String, Object> input = (Map<String, Object>) stage.getOrDefault("input", Map.of());
                Map<String, Object> output = (Map<String, Object>) stage.get("output");
                if (output == null) {
                    output = Map.of();
                }
                Map<String, Object> log = (Map<String, Object>) output.get("log");
                if (log == null) {
                    log = Map.of();
                }
                Object status = output.get("status");
                stages.add(new FtwStage(input == null ? Map.of() : input, ids(log.get("expect_ids")),
                        ids(log.get("no_expect_ids")),
                        status == null ? null : (int) number(status),
                        Boolean.TRUE.equals(output.get("expect_error")),
                        log.containsKey("match_regex") || log.containsKey("no_match_regex")));
            }
            Object desc = t.get("desc");
            out.add(new FtwCase(ruleFile, ruleId, String.valueOf(t.get("test_id")),
                    desc == null ? "" : desc.toString(), stages));
        }
        return out;
    }

    private static List<Long> ids(Object o) {
        List<Long> out = new ArrayList<>();
        if (o instanceof List<?> list) {
            for (Object e : list) {
                out.add(number(e));
            }
        } else if (o != null) {
            out.add(number(o));
        }
        return out;
    }

    private static long number(Object o) {
        return o instanceof Number n ? n.longValue() : Long.parseLong(o.toString().trim());
    }
}
