package io.spoepolicy.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An immutable set of HAProxy configuration files ({@code haproxy.cfg} plus companions such as
 * {@code spoe.conf}) with {@code ${NAME}} tokens substituted when rendered.
 *
 * <p>Every {@code ${UPPER_CASE}} token must be given a value: an unresolved token is an error, so
 * a template change can never reach HAProxy half-rendered. HAProxy's own environment-variable
 * expansion is still available through the brace-less form {@code "$NAME"}.
 */
public final class HaproxyConfig {

    public static final String MAIN_FILE = "haproxy.cfg";

    private static final Pattern TOKEN = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)\\}");

    private final Map<String, String> files;
    private final Map<String, String> tokens;

    private HaproxyConfig(Map<String, String> files, Map<String, String> tokens) {
        this.files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
        this.tokens = Collections.unmodifiableMap(new LinkedHashMap<>(tokens));
    }

    public static HaproxyConfig of(String haproxyCfg) {
        return new HaproxyConfig(Map.of(MAIN_FILE, haproxyCfg), Map.of());
    }

    /** Loads files from a classpath directory, e.g. {@code fromClasspath("haproxy", "haproxy.cfg", "spoe.conf")}. */
    public static HaproxyConfig fromClasspath(String directory, String... fileNames) {
        Map<String, String> loaded = new LinkedHashMap<>();
        for (String name : fileNames) {
            loaded.put(name, readResource(directory + "/" + name));
        }
        if (!loaded.containsKey(MAIN_FILE)) {
            throw new IllegalArgumentException("a configuration needs " + MAIN_FILE);
        }
        return new HaproxyConfig(loaded, Map.of());
    }

    public HaproxyConfig withFile(String name, String text) {
        Map<String, String> copy = new LinkedHashMap<>(files);
        copy.put(name, text);
        return new HaproxyConfig(copy, tokens);
    }

    public HaproxyConfig withToken(String name, Object value) {
        Map<String, String> copy = new LinkedHashMap<>(tokens);
        copy.put(name, String.valueOf(value));
        return new HaproxyConfig(files, copy);
    }

    public HaproxyConfig edit(String fileName, UnaryOperator<String> edit) {
        String text = files.get(fileName);
        if (text == null) {
            throw new IllegalArgumentException("no file " + fileName + " in " + files.keySet());
        }
        return withFile(fileName, edit.apply(text));
    }

    /** Replaces a literal that must occur exactly {@code expectedCount} times, so template drift fails loudly. */
    public HaproxyConfig replace(String fileName, String literal, String replacement, int expectedCount) {
        return edit(fileName, text -> {
            int count = countOccurrences(text, literal);
            if (count != expectedCount) {
                throw new IllegalStateException("expected " + expectedCount + " occurrence(s) of '" + literal
                        + "' in " + fileName + " but found " + count);
            }
            return text.replace(literal, replacement);
        });
    }

    public Map<String, String> files() {
        return files;
    }

    public Map<String, String> tokens() {
        return tokens;
    }

    /** File name to rendered text; fails on any token without a value. */
    public Map<String, String> render() {
        Map<String, String> rendered = new LinkedHashMap<>();
        TreeSet<String> unresolved = new TreeSet<>();
        files.forEach((name, text) -> {
            StringBuilder out = new StringBuilder();
            Matcher m = TOKEN.matcher(text);
            while (m.find()) {
                String value = tokens.get(m.group(1));
                if (value == null) {
                    unresolved.add(name + ": ${" + m.group(1) + "}");
                    value = m.group();
                }
                m.appendReplacement(out, Matcher.quoteReplacement(value));
            }
            m.appendTail(out);
            rendered.put(name, out.toString());
        });
        if (!unresolved.isEmpty()) {
            throw new IllegalStateException("unresolved configuration tokens: " + unresolved);
        }
        return rendered;
    }

    /** Writes the rendered files into {@code directory} and returns the path of {@code haproxy.cfg}. */
    public Path writeTo(Path directory) {
        try {
            for (Map.Entry<String, String> file : render().entrySet()) {
                Files.writeString(directory.resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return directory.resolve(MAIN_FILE);
    }

    static String readResource(String path) {
        try (InputStream in = HaproxyConfig.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("classpath resource not found: " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int countOccurrences(String text, String literal) {
        int count = 0;
        for (int i = text.indexOf(literal); i >= 0; i = text.indexOf(literal, i + literal.length())) {
            count++;
        }
        return count;
    }
}
