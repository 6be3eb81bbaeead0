package io.spoepolicy.packaging;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The documents {@code helm template} printed, parsed, with typed-enough access for assertions. */
record Manifests(List<Node> documents) {

    static Manifests parse(String yaml) {
        List<Node> documents = new ArrayList<>();
        for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(yaml)) {
            if (document != null) {
                documents.add(new Node(document, "$"));
            }
        }
        return new Manifests(List.copyOf(documents));
    }

    List<Node> ofKind(String kind) {
        return documents.stream().filter(d -> kind.equals(d.text("kind"))).toList();
    }

    Optional<Node> find(String kind) {
        List<Node> found = ofKind(kind);
        if (found.size() > 1) {
            throw new AssertionError("more than one " + kind);
        }
        return found.stream().findFirst();
    }

    Node get(String kind) {
        return find(kind).orElseThrow(() -> new AssertionError("no " + kind + " rendered; kinds: " + kinds()));
    }

    Node get(String kind, String name) {
        return ofKind(kind).stream().filter(d -> name.equals(d.text("metadata.name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " named " + name));
    }

    List<String> kinds() {
        return documents.stream().map(d -> d.text("kind")).toList();
    }

    /**
     * A YAML value and where it came from; paths are dotted keys with {@code [i]} indexes,
     * e.g. {@code spec.template.spec.containers[0].ports}.
     */
    record Node(Object value, String location) {

        Node at(String path) {
            Object current = value;
            String where = location;
            for (String part : path.split("\\.")) {
                String key = part;
                Integer index = null;
                int bracket = part.indexOf('[');
                if (bracket >= 0) {
                    key = part.substring(0, bracket);
                    index = Integer.parseInt(part.substring(bracket + 1, part.length() - 1));
                }
                if (!key.isEmpty()) {
                    if (!(current instanceof Map<?, ?> map) || !map.containsKey(key)) {
                        throw new AssertionError("no " + key + " under " + where);
                    }
                    current = map.get(key);
                    where = where + "." + key;
                }
                if (index != null) {
                    if (!(current instanceof List<?> list) || index >= list.size()) {
                        throw new AssertionError("no [" + index + "] under " + where);
                    }
                    current = list.get(index);
                    where = where + "[" + index + "]";
                }
            }
            return new Node(current, where);
        }

        boolean has(String path) {
            try {
                at(path);
                return true;
            } catch (AssertionError missing) {
                return false;
            }
        }

        String text(String path) {
            Object v = at(path).value;
            return v == null ? null : String.valueOf(v);
        }

        int integer(String path) {
            Object v = at(path).value;
            if (v instanceof Number n) {
                return n.intValue();
            }
            throw new AssertionError(location + "." + path + " is not a number: " + v);
        }

        List<Node> list(String path) {
            Node node = at(path);
            if (!(node.value instanceof List<?> items)) {
                throw new AssertionError(node.location + " is not a list");
            }
            List<Node> nodes = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                nodes.add(new Node(items.get(i), node.location + "[" + i + "]"));
            }
            return nodes;
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> map(String path) {
            Object v = path.isEmpty() ? value : at(path).value;
            if (v instanceof Map<?, ?> map) {
                return (Map<String, Object>) map;
            }
            throw new AssertionError(location + "." + path + " is not a map");
        }
    }
}
