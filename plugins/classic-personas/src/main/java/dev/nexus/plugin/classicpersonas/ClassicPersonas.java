package dev.nexus.plugin.classicpersonas;

import dev.nexus.api.personality.PersonalityBundle;
import dev.nexus.api.personality.PersonalityProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;

/**
 * Eleven classic personalities in the native bundle format: a Socratic tutor, a Victorian detective,
 * a Stoic mentor, a pirate captain, a Renaissance polymath, a noir private eye, an Elizabethan bard, a
 * court jester, a starship computer, a gothic storyteller and the Oracle of Delphi. Each is a {@code <id>/persona.yaml} resource beside this class (see
 * {@code docs/personality-format.md}); the host validates them like drop-in bundles. Takes no
 * configuration. Immutable and thread-safe.
 */
@Extension
public final class ClassicPersonas implements PersonalityProvider {

    /** The personality ids this plugin ships, in the order they are offered. */
    static final List<String> IDS = List.of(
            "socratic-tutor",
            "victorian-detective",
            "stoic-mentor",
            "pirate-captain",
            "renaissance-polymath",
            "noir-narrator",
            "shakespearean-bard",
            "court-jester",
            "starship-computer",
            "gothic-storyteller",
            "greek-oracle");

    /** Creates the provider; PF4J calls this. */
    public ClassicPersonas() {}

    @Override
    public List<PersonalityBundle> personalities() {
        return Loaded.BUNDLES;
    }

    /** Reads the documents on first use; a missing one is a packaging bug and fails loudly. */
    private static final class Loaded {
        static final List<PersonalityBundle> BUNDLES =
                IDS.stream().map(Loaded::load).toList();

        private static PersonalityBundle load(String id) {
            String resource = id + "/persona.yaml";
            try (InputStream in = ClassicPersonas.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException(
                            "personality document " + resource + " is missing from the plugin jar");
                }
                return new PersonalityBundle(id, new String(in.readAllBytes(), StandardCharsets.UTF_8), Map.of());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read personality document " + resource, e);
            }
        }
    }
}
