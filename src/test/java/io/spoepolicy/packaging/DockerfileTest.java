package io.spoepolicy.packaging;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.spoepolicy.packaging.Manifests.Node;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Static checks of the Dockerfile (no Docker engine here) and of its agreement with the chart;
 * {@link PackagedLayoutIT} runs its extract command and ENTRYPOINT.
 */
class DockerfileTest {

    private static final long MI = 1024 * 1024;
    /** Metaspace, code cache, thread stacks and GC structures of this service, with room to spare. */
    private static final long NON_HEAP_RESERVE = 256 * MI;

    private final Dockerfile dockerfile = Dockerfile.repository();
    private final Node chartValues = ChartValues.load(HelmChart.DIRECTORY);

    @Test
    void runsTheExtractedLayersAsANumericNonRootUser() {
        assertThat(dockerfile.single("final", "FROM").arguments()).contains("jre");
        assertThat(dockerfile.single("final", "WORKDIR").arguments())
                .as("the chart mounts application.yml at /application/config").isEqualTo("/application");
        assertThat(dockerfile.entrypoint()).containsExactly("java", "-jar", "application.jar");
        assertThat(dockerfile.layerCopies()).containsExactly("/builder/extracted/dependencies/",
                "/builder/extracted/spring-boot-loader/", "/builder/extracted/snapshot-dependencies/",
                "/builder/extracted/application/");
        assertThat(dockerfile.extractCommand()).containsSubsequence("java", "-Djarmode=tools", "-jar",
                "application.jar", "extract", "--layers");
        assertThat(dockerfile.instructions()).noneSatisfy(i -> assertThat(i.arguments()).contains("layertools"));

        String user = dockerfile.single("final", "USER").arguments();
        assertThat(user).as("numeric, so runAsNonRoot can verify it").matches("[1-9][0-9]*:[1-9][0-9]*");
        assertThat(user).startsWith(chartValues.integer("podSecurityContext.runAsUser") + ":");
    }

    @Test
    void exposesThePortsTheChartUses() {
        List<String> exposed = List.of(dockerfile.single("final", "EXPOSE").arguments().split(" "));
        assertThat(exposed).containsExactlyInAnyOrder(chartValues.text("ports.spop"), chartValues.text("ports.http"),
                chartValues.text("ports.management"));
    }

    @Test
    void heapPlusDirectMemoryStayUnderTheChartsMemoryLimit() {
        String imageOptions = dockerfile.env("final", "JAVA_TOOL_OPTIONS").orElseThrow();
        assertThat(chartValues.text("javaToolOptions")).as("chart and image agree").isEqualTo(imageOptions);
        assertThat(imageOptions).contains("-XX:+ExitOnOutOfMemoryError");

        long limit = bytes(chartValues.text("resources.limits.memory"));
        assertThat(bytes(chartValues.text("resources.requests.memory"))).as("requests = limits").isEqualTo(limit);
        double heapPercent = Double.parseDouble(option(imageOptions, "-XX:MaxRAMPercentage=([0-9.]+)"));
        long direct = bytes(option(imageOptions, "-XX:MaxDirectMemorySize=([0-9]+[kKmMgG]?)"));
        long heap = (long) (limit * heapPercent / 100);
        assertThat(heap + direct + NON_HEAP_RESERVE).as("heap %d + direct %d + reserve %d <= limit %d", heap,
                direct, NON_HEAP_RESERVE, limit).isLessThanOrEqualTo(limit);
    }

    @Test
    void canBakeACrsReleaseAndBuildFromSourceOrJar() {
        assertThat(dockerfile.instructions()).anySatisfy(i -> assertThat(i.keyword() + " " + i.arguments())
                .isEqualTo("ARG CRS_VERSION="));
        assertThat(dockerfile.in("final", "COPY")).anySatisfy(i -> assertThat(i.arguments())
                .startsWith("--from=crs").endsWith("/opt/crs /opt/crs"));
        assertThat(dockerfile.in("build", "RUN")).anySatisfy(i -> assertThat(i.arguments()).contains("./mvnw"));
        assertThat(dockerfile.in("prebuilt", "COPY")).singleElement()
                .satisfies(i -> assertThat(i.arguments()).contains("target/"));
    }

    private static String option(String options, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(options);
        assertThat(matcher.find()).as(regex + " in " + options).isTrue();
        return matcher.group(1);
    }

    /** Kubernetes quantities (Mi, Gi) and JVM sizes (m, g). */
    static long bytes(String quantity) {
        Matcher m = Pattern.compile("([0-9]+)(Ki|Mi|Gi|[kKmMgG])?").matcher(quantity);
        assertThat(m.matches()).as(quantity).isTrue();
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2).substring(0, 1).toUpperCase();
        return switch (unit) {
            case "K" -> n * 1024;
            case "M" -> n * MI;
            case "G" -> n * 1024 * MI;
            default -> n;
        };
    }
}
