package io.spoepolicy.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The values a render used: the chart's values.yaml overlaid with a values file, merged the way
 * Helm merges them (maps deeply, everything else replaced). The invariants compare the manifests
 * with these, so a template that ignores a value is caught.
 */
final class ChartValues {

    private ChartValues() {
    }

    static Manifests.Node load(Path chart, Path... overlays) {
        Map<String, Object> merged = read(chart.resolve("values.yaml"));
        for (Path overlay : overlays) {
            merged = merge(merged, read(overlay));
        }
        return new Manifests.Node(merged, "values");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> overlay) {
        Map<String, Object> result = new LinkedHashMap<>(base);
        overlay.forEach((key, value) -> {
            if (value instanceof Map<?, ?> map && result.get(key) instanceof Map<?, ?> existing) {
                result.put(key, merge((Map<String, Object>) existing, (Map<String, Object>) map));
            } else {
                result.put(key, value);
            }
        });
        return result;
    }

    private static Map<String, Object> read(Path file) {
        try {
            Map<String, Object> map = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
            return map == null ? Map.of() : map;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
