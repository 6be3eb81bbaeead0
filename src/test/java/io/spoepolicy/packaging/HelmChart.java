package io.spoepolicy.packaging;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;

/**
 * The repository's Helm chart, driven by Helm itself (helm-java's embedded native Helm library, no
 * binary and no cluster needed): lint and template, as {@code helm lint --strict} and
 * {@code helm template} would.
 */
final class HelmChart {

    static final Path DIRECTORY = Path.of("helm", "spoe-policy-service").toAbsolutePath();
    static final String RELEASE = "edge";
    static final String NAMESPACE = "policy";
    static final String KUBE_VERSION = "1.33.0";

    private final Path directory;

    private HelmChart(Path directory) {
        if (!Files.isRegularFile(directory.resolve("Chart.yaml"))) {
            throw new IllegalStateException("no chart at " + directory);
        }
        this.directory = directory;
    }

    static HelmChart repository() {
        return new HelmChart(DIRECTORY);
    }

    static HelmChart at(Path directory) {
        return new HelmChart(directory);
    }

    Path directory() {
        return directory;
    }

    /** {@code helm lint --strict} with the chart's own values (helm-java's lint takes no others). */
    LintResult lintStrict() {
        return new Helm(directory).lint().strict().call();
    }

    /** NOTES.txt as {@code helm install --dry-run} prints it (client only, no cluster). */
    String notes(String... sets) {
        InstallCommand install = new Helm(directory).install().withName(RELEASE).withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION).dryRun().clientOnly();
        for (int i = 0; i + 1 < sets.length; i += 2) {
            install.set(sets[i], sets[i + 1]);
        }
        String output = install.call().getOutput();
        int notes = output.indexOf("NOTES:\n");
        if (notes < 0) {
            throw new AssertionError("no NOTES in:\n" + output);
        }
        return output.substring(notes + "NOTES:\n".length());
    }

    Render render() {
        return new Render(directory);
    }

    /** One {@code helm template} invocation. */
    static final class Render {
        private final Path directory;
        private final List<Path> valuesFiles = new ArrayList<>();
        private final Map<String, Object> sets = new LinkedHashMap<>();
        private String kubeVersion = KUBE_VERSION;

        private Render(Path directory) {
            this.directory = directory;
        }

        Render values(Path file) {
            valuesFiles.add(file);
            return this;
        }

        Render values(String chartRelativeFile) {
            return values(directory.resolve(chartRelativeFile));
        }

        Render set(String key, Object value) {
            sets.put(key, value);
            return this;
        }

        Render kubeVersion(String version) {
            kubeVersion = version;
            return this;
        }

        /** Renders and parses; Helm's errors (schema, {@code fail}) surface as exceptions. */
        Manifests manifests() {
            return Manifests.parse(yaml());
        }

        String yaml() {
            TemplateCommand command = new Helm(directory).template()
                    .withName(RELEASE)
                    .withNamespace(NAMESPACE)
                    .withKubeVersion(kubeVersion);
            valuesFiles.forEach(command::withValuesFile);
            sets.forEach(command::set);
            return command.call();
        }
    }
}
