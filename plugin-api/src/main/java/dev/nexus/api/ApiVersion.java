package dev.nexus.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version of this plugin API, following Semantic Versioning.
 *
 * <p>The host announces it as PF4J's system version; a plugin states the range it supports in
 * its {@code Plugin-Requires} manifest entry (for example {@code >=1.0.0 & <2.0.0}).
 */
public final class ApiVersion {

    private static final String CURRENT = load();

    private ApiVersion() {}

    /** Returns the version of the plugin API on the class path, such as {@code 1.0.0}; never null. */
    public static String current() {
        return CURRENT;
    }

    private static String load() {
        try (InputStream in = ApiVersion.class.getResourceAsStream("api.properties")) {
            if (in == null) {
                throw new IllegalStateException("dev/nexus/api/api.properties is missing from the plugin-api jar");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
