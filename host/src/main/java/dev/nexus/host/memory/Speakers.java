package dev.nexus.host.memory;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who said it (issue 16, item 5): a turn said by someone other than the user in the user's
 * conversation (a group chat relayed through the API, {@code speaker: {"name": "Ana"}}) is remembered
 * as theirs. The extractors read it as first-person statements, as they read the user's; this class
 * then moves each fact to its speaker: "I moved to Oslo" said by Ana is "Ana lives in Oslo", a fact
 * {@code about} Ana in the user's relationship graph, in the slot {@code person:ana:home} (so her next
 * move supersedes it, never the user's home); "my sister Eva is a nurse" said by Ana is about "Ana's
 * sister" Eva. Stateless.
 */
final class Speakers {

    private static final Pattern THE_USERS = Pattern.compile("\\bthe user's\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern THE_USER = Pattern.compile("\\bthe user\\b", Pattern.CASE_INSENSITIVE);

    private Speakers() {}

    /** The text an episode keeps of a message another speaker said: who said it, then what. */
    static String said(String speaker, String text) {
        return speaker + ": " + text;
    }

    /** Returns {@code fact}, found in what {@code speaker} said, as a fact about {@code speaker}. */
    static ExtractedFact attribute(ExtractedFact fact, String speaker) {
        String text = THE_USERS.matcher(fact.text()).replaceAll(Matcher.quoteReplacement(speaker + "'s"));
        text = THE_USER.matcher(text).replaceAll(Matcher.quoteReplacement(speaker));
        Person person;
        Optional<String> slot;
        if (fact.about().isPresent()) {
            // The speaker's own people: "my sister" said by Ana is Ana's sister, not the user's.
            Person theirs = fact.about().get();
            String relation =
                    theirs.relation().isEmpty() ? "" : speaker.toLowerCase(Locale.ROOT) + "'s " + theirs.relation();
            person = new Person(relation, theirs.name());
            slot = fact.slot()
                    .map(s -> s.startsWith("person:" + theirs.key() + ":")
                            ? "person:" + person.key() + s.substring(("person:" + theirs.key()).length())
                            : s);
        } else {
            person = new Person("", speaker);
            slot = fact.slot().map(s -> "person:" + person.key() + ":" + s);
        }
        return new ExtractedFact(text, fact.category(), fact.confidence(), slot, fact.when(), Optional.of(person));
    }
}
