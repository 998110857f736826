package dev.nexus.api.testing;

import dev.nexus.api.PluginConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link PluginConfig} over nested JDK maps for plugin tests. It delegates to
 * {@link PluginConfig#of(Map)}, the very implementation the host hands to plugins, so a plugin reads
 * its test configuration exactly as it reads the host's (nested maps, dotted keys, {@code 3.0} as an
 * integer, boolean letter case). Immutable and thread-safe.
 */
public final class MapPluginConfig implements PluginConfig {

    private final PluginConfig delegate;

    /** Copies {@code section} deeply; values are maps, lists, strings, numbers and booleans. */
    public MapPluginConfig(Map<String, ?> section) {
        this.delegate = PluginConfig.of(section);
    }

    /** Returns an empty configuration. */
    public static MapPluginConfig empty() {
        return new MapPluginConfig(Map.of());
    }

    @Override
    public Optional<String> string(String key) {
        return delegate.string(key);
    }

    @Override
    public long integer(String key, long fallback) {
        return delegate.integer(key, fallback);
    }

    @Override
    public boolean flag(String key, boolean fallback) {
        return delegate.flag(key, fallback);
    }

    @Override
    public List<String> strings(String key) {
        return delegate.strings(key);
    }

    @Override
    public Map<String, Object> asMap() {
        return delegate.asMap();
    }
}
