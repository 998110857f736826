package @PACKAGE@;

import dev.nexus.api.personality.PersonalityBundle;
import dev.nexus.api.personality.PersonalityProvider;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;

/**
 * The {@code @ID@} personality, in the native persona.yaml format (docs/personality-format.md in the
 * Nexus repository). The bundle id must equal the document's {@code id}. Longer documents belong in
 * resources next to this class, as the first-party {@code classic-personas} plugin does.
 */
@Extension
public final class @CLASS@ implements PersonalityProvider {

    private static final String PERSONA = """
            id: @ID@
            name: @TITLE@
            description: A weathered, kind lighthouse keeper who answers in short, practical sentences.
            traits:
              warmth: 0.7
              verbosity: {value: 0.3, evolvable: true, min: 0.1, max: 0.6}
            greetings:
              - "Evening. Mind the steps. What brings you up here?"
            """;

    @Override
    public List<PersonalityBundle> personalities() {
        return List.of(new PersonalityBundle("@ID@", PERSONA, Map.of()));
    }
}
