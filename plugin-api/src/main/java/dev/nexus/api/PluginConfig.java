package dev.nexus.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A read-only view of one plugin's own configuration section ({@code plugins.config.<plugin-id>}
 * in the host's YAML file). A plugin never sees another plugin's section.
 *
 * <p>Keys are the kebab-case keys of the section; nested keys are joined with dots
 * ({@code callback.url}); a flat key with dots wins over the nested path. An integer is an integral
 * number, a whole-valued number such as {@code 3.0}, or a text of digits; a flag is a boolean or the
 * text {@code true}/{@code false} in any letter case. Asking for a scalar where the section holds a
 * map or list throws {@link IllegalArgumentException} naming the key. The host validates the section
 * against the plugin's declared schema before the plugin starts (see {@code docs/plugin-guide.md}).
 * Implementations are immutable and thread-safe.
 */
public interface PluginConfig {

    /** Returns the value at {@code key} as text, or empty when the key is absent. */
    Optional<String> string(String key);

    /**
     * Returns the value at {@code key} as an integer, or {@code fallback} when absent.
     *
     * @throws IllegalArgumentException if the value is present but not an integer; the message
     *     names the key and the value
     */
    long integer(String key, long fallback);

    /**
     * Returns the value at {@code key} as a boolean, or {@code fallback} when absent.
     *
     * @throws IllegalArgumentException if the value is present but neither {@code true} nor {@code false}
     */
    boolean flag(String key, boolean fallback);

    /** Returns the list at {@code key} as texts; empty when absent; a scalar is a one-element list. */
    List<String> strings(String key);

    /** Returns the whole section as nested, unmodifiable JDK maps, lists and scalars. */
    Map<String, Object> asMap();

    /**
     * Returns the configuration over {@code section} (nested maps, lists, texts, numbers, booleans), the
     * implementation the host hands to plugins, so tests that build a configuration with it read it the
     * way the host does. The section is copied deeply; {@code null} values count as absent.
     */
    @Experimental
    static PluginConfig of(Map<String, ?> section) {
        return new SectionConfig(section);
    }
}
