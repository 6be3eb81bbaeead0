package io.spoepolicy.config.policies;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.bootstrap.DefaultBootstrapContext;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.boot.origin.TextResourceOrigin;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;

/**
 * Reads the configuration again as Spring Boot did at startup: the same command-line arguments,
 * system properties, environment variables and test properties, and the configuration files
 * ({@code application.yml}, {@code spring.config.location}, {@code additional-location}, imports,
 * profiles) loaded afresh from disk. The live environment is never modified.
 */
final class ConfigSnapshotLoader {

    /** Boot names every property source it loads from a config file this way. */
    private static final String CONFIG_DATA_PREFIX = "Config resource ";

    private final ConfigurableEnvironment live;
    private final ResourceLoader resourceLoader;

    ConfigSnapshotLoader(ConfigurableEnvironment live, ResourceLoader resourceLoader) {
        this.live = live;
        this.resourceLoader = resourceLoader;
    }

    ConfigurableEnvironment load() {
        StandardEnvironment fresh = new StandardEnvironment();
        MutablePropertySources sources = fresh.getPropertySources();
        for (PropertySource<?> source : List.copyOf(sources.stream().toList())) {
            sources.remove(source.getName());
        }
        for (PropertySource<?> source : live.getPropertySources()) {
            if (isConfigData(source) || ConfigurationPropertySources.isAttachedConfigurationPropertySource(source)) {
                continue;
            }
            sources.addLast(source);
        }
        ConfigDataEnvironmentPostProcessor.applyTo(fresh, resourceLoader, new DefaultBootstrapContext(),
                List.of(live.getActiveProfiles()));
        ConfigurationPropertySources.attach(fresh);
        return fresh;
    }

    static boolean isConfigData(PropertySource<?> source) {
        return source.getName().startsWith(CONFIG_DATA_PREFIX);
    }

    /** The files on disk the environment's configuration came from (classpath entries excluded). */
    static List<Path> configFiles(ConfigurableEnvironment environment) {
        List<Path> files = new ArrayList<>();
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (!isConfigData(source) || !(source instanceof EnumerablePropertySource<?> enumerable)
                    || !(source instanceof OriginLookup<?>)) {
                continue;
            }
            @SuppressWarnings("unchecked")
            OriginLookup<String> lookup = (OriginLookup<String>) source;
            for (String name : enumerable.getPropertyNames()) {
                Path file = file(lookup.getOrigin(name));
                if (file != null) {
                    if (!files.contains(file)) {
                        files.add(file);
                    }
                    break;
                }
            }
        }
        return files;
    }

    private static Path file(Origin origin) {
        while (origin != null) {
            if (origin instanceof TextResourceOrigin text) {
                Resource resource = text.getResource();
                if (resource != null && resource.isFile()) {
                    try {
                        return resource.getFile().toPath().toAbsolutePath();
                    }
                    catch (IOException ex) {
                        return null;
                    }
                }
                return null;
            }
            origin = origin.getParent();
        }
        return null;
    }
}
