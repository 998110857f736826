package dev.nexus.host.memory;

import java.util.Locale;

/**
 * Someone in the user's life a fact is about ("my sister Ana"): the relation the user named and the
 * person's name, either of which may be unknown (empty). Immutable.
 *
 * @param relation how the user named them ({@code sister}, {@code best friend}), lower case; "" when unknown
 * @param name their name as the user wrote it; "" when unknown
 */
public record Person(String relation, String name) {

    /** Normalises; at least one of the two must be given. */
    public Person {
        relation = relation == null ? "" : relation.strip().toLowerCase(Locale.ROOT);
        name = name == null ? "" : name.strip();
        if (relation.isEmpty() && name.isEmpty()) {
            throw new IllegalArgumentException("a person needs a relation or a name");
        }
    }

    /** The key facts about one person share: the lower-cased name, else the relation. */
    String key() {
        return name.isEmpty() ? relation : name.toLowerCase(Locale.ROOT);
    }
}
