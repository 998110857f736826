package @PACKAGE@;

import dev.nexus.api.PluginContext;
import dev.nexus.api.turn.Turn;
import dev.nexus.api.turn.TurnDecision;
import dev.nexus.api.turn.TurnFilter;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.pf4j.Extension;

/**
 * The {@code @ID@} turn filter: removes configured words from what the user wrote before the model
 * sees it, and tells the model so. Turn filters run on every turn with a time limit; keep them fast
 * and never make one the only guard of anything critical.
 *
 * <p>Configuration, section {@code plugins.config.@ID@}: {@code words}, the words to remove (default
 * {@code [password]}).
 */
@Extension
public final class @CLASS@ implements TurnFilter {

    static final String REMOVED = "[removed]";

    private volatile Pattern words = compile(List.of("password"));

    @Override
    public void start(PluginContext context) {
        List<String> configured = context.config().strings("words");
        if (configured.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("@ID@ config 'words' must not contain blank words");
        }
        words = compile(configured.isEmpty() ? List.of("password") : configured);
    }

    @Override
    public TurnDecision before(Turn turn) {
        String redacted = words.matcher(turn.text()).replaceAll(REMOVED);
        if (redacted.equals(turn.text())) {
            return TurnDecision.proceed();
        }
        return new TurnDecision.Proceed(redacted,
                List.of("Some words were removed from the user's message; do not ask for them."));
    }

    private static Pattern compile(List<String> words) {
        return Pattern.compile(words.stream().map(word -> "\\b" + Pattern.quote(word.strip().toLowerCase(Locale.ROOT)) + "\\b")
                .collect(Collectors.joining("|")), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }
}
