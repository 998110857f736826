package dev.nexus.plugin.files;

import dev.nexus.api.PluginConfig;
import java.nio.file.Path;

/**
 * The {@code files} configuration section ({@code plugins.config.files}), with its defaults. Immutable.
 *
 * @param root the directory holding every workspace ({@code root}, default {@code data/workspaces})
 * @param perPersonality whether each personality (rather than each user) has its own workspace ({@code per})
 * @param maxFileBytes the largest file read or written ({@code max-file-bytes}, default 1 MiB)
 * @param maxFiles the most files one workspace may hold ({@code max-files}, default 1000)
 * @param maxWorkspaceBytes the most bytes one workspace may hold ({@code max-workspace-bytes}, default 50 MiB)
 * @param maxResults the most entries a list or search returns ({@code max-results}, default 200)
 */
record FilesSettings(
        Path root, boolean perPersonality, long maxFileBytes, long maxFiles, long maxWorkspaceBytes, int maxResults) {

    /**
     * Reads the section.
     *
     * @throws IllegalArgumentException naming the key and what is expected
     */
    static FilesSettings from(PluginConfig config) {
        String per = config.string("per").orElse("user");
        if (!per.equals("user") && !per.equals("personality")) {
            throw new IllegalArgumentException("files config 'per' must be user or personality, got '" + per + "'");
        }
        return new FilesSettings(
                Path.of(config.string("root").orElse("data/workspaces"))
                        .toAbsolutePath()
                        .normalize(),
                per.equals("personality"),
                positive(config, "max-file-bytes", 1_048_576),
                positive(config, "max-files", 1000),
                positive(config, "max-workspace-bytes", 52_428_800),
                (int) Math.min(10_000, positive(config, "max-results", 200)));
    }

    private static long positive(PluginConfig config, String key, long fallback) {
        long value = config.integer(key, fallback);
        if (value < 1) {
            throw new IllegalArgumentException("files config '" + key + "' must be at least 1, got " + value);
        }
        return value;
    }
}
