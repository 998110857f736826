package dev.nexus.plugin.knowledgestarter;

import dev.nexus.api.knowledge.KnowledgePack;
import dev.nexus.api.knowledge.KnowledgePackProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.pf4j.Extension;

/**
 * The starter knowledge packs: personal finance, software engineering and career. Each pack is a
 * {@code .pack} text file beside this class (format in {@link PackFile}), parsed once on first use.
 * Takes no configuration. Immutable and thread-safe.
 */
@Extension
public final class StarterPacks implements KnowledgePackProvider {

    /** The pack files shipped in this plugin, in the order they are offered. */
    static final List<String> FILES = List.of("personal-finance.pack", "software-engineering.pack", "career.pack");

    /** Creates the provider; PF4J calls this. */
    public StarterPacks() {}

    @Override
    public List<KnowledgePack> packs() {
        return Loaded.PACKS;
    }

    /** Parses the packs on first use; a broken pack file is a packaging bug and fails loudly. */
    private static final class Loaded {
        static final List<KnowledgePack> PACKS =
                FILES.stream().map(Loaded::load).toList();

        private static KnowledgePack load(String file) {
            try (InputStream in = StarterPacks.class.getResourceAsStream(file)) {
                if (in == null) {
                    throw new IllegalStateException("knowledge pack file " + file + " is missing from the plugin jar");
                }
                return PackFile.parse(file, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read knowledge pack file " + file, e);
            }
        }
    }
}
