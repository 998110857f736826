package dev.nexus.host.knowledge;

/**
 * Where a registered knowledge pack came from. On an id clash the later origin in this list wins
 * (an imported pack overrides a file, a file overrides a plugin's pack) and the clash is reported.
 */
public enum PackOrigin {
    /** A {@code KnowledgePackProvider} plugin. */
    PLUGIN,
    /** A file in the knowledge directory. */
    FILE,
    /** Imported over the API (a native pack or a lorebook), stored in the database. */
    IMPORTED
}
