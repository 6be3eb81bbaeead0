package io.spoepolicy.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The repository's Dockerfile, read well enough for tests to run what it runs: instructions with
 * continuation lines joined, grouped by stage.
 */
record Dockerfile(List<Instruction> instructions) {

    static final Path PATH = Path.of("Dockerfile").toAbsolutePath();

    record Instruction(String stage, String keyword, String arguments) {
    }

    static Dockerfile repository() {
        try {
            return parse(Files.readString(PATH));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Dockerfile parse(String text) {
        List<Instruction> instructions = new ArrayList<>();
        String stage = "";
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (current.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
                continue;
            }
            if (trimmed.startsWith("#")) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            current.append(trimmed);
            String joined = current.toString().replaceAll("\\s+", " ").strip();
            current.setLength(0);
            int space = joined.indexOf(' ');
            String keyword = joined.substring(0, space).toUpperCase();
            String arguments = joined.substring(space + 1);
            if (keyword.equals("FROM")) {
                Matcher named = Pattern.compile("(?i).* AS (\\S+)$").matcher(arguments);
                stage = named.matches() ? named.group(1) : "final";
            }
            instructions.add(new Instruction(stage, keyword, arguments));
        }
        return new Dockerfile(List.copyOf(instructions));
    }

    List<Instruction> in(String stage, String keyword) {
        return instructions.stream().filter(i -> i.stage().equals(stage) && i.keyword().equals(keyword)).toList();
    }

    Instruction single(String stage, String keyword) {
        List<Instruction> found = in(stage, keyword);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + keyword + " in stage " + stage + ", found " + found);
        }
        return found.get(0);
    }

    /** The final stage's ENTRYPOINT, which must be in exec (JSON array) form. */
    List<String> entrypoint() {
        return jsonArray(single("final", "ENTRYPOINT").arguments());
    }

    Optional<String> env(String stage, String name) {
        Pattern assignment = Pattern.compile(Pattern.quote(name) + "=(\"([^\"]*)\"|(\\S+))");
        return in(stage, "ENV").stream().map(i -> assignment.matcher(i.arguments())).filter(Matcher::find)
                .map(m -> m.group(2) != null ? m.group(2) : m.group(3)).reduce((first, last) -> last);
    }

    /** The extract stage's {@code RUN java -Djarmode=tools ...} command, split into words. */
    List<String> extractCommand() {
        return in("extract", "RUN").stream().map(Instruction::arguments)
                .filter(a -> a.contains("-Djarmode=tools")).findFirst()
                .map(a -> Arrays.asList(a.split(" ")))
                .orElseThrow(() -> new AssertionError("no jarmode=tools extract command"));
    }

    /** Sources of the final stage's {@code COPY --from=extract}, in order. */
    List<String> layerCopies() {
        List<String> sources = new ArrayList<>();
        for (Instruction copy : in("final", "COPY")) {
            List<String> words = Arrays.asList(copy.arguments().split(" "));
            if (words.contains("--from=extract")) {
                List<String> paths = words.stream().filter(w -> !w.startsWith("--")).toList();
                sources.add(paths.get(0));
            }
        }
        return sources;
    }

    private static List<String> jsonArray(String text) {
        Object parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        if (!(parsed instanceof List<?> list)) {
            throw new AssertionError("not in exec form: " + text);
        }
        return list.stream().map(String::valueOf).toList();
    }
}
