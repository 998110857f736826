package dev.nexus.host.persona;

import dev.nexus.host.InvalidInputException;
import java.util.regex.Pattern;

/**
 * A personality id: 1–64 characters of lower-case letters, digits and dashes, starting with a letter
 * or digit. An invalid id cannot exist.
 *
 * @param value the id text
 */
public record PersonalityId(String value) {

    private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    /** Validates the id. */
    public PersonalityId {
        if (value == null || !VALID.matcher(value).matches()) {
            throw new InvalidInputException("personality id must be 1-64 lower-case letters, digits or dashes, got '"
                    + InvalidInputException.cap(value) + "'");
        }
    }

    /** Returns the id for {@code value}; throws {@link InvalidInputException} when invalid. */
    public static PersonalityId of(String value) {
        return new PersonalityId(value);
    }

    /** Turns any name into a valid id ("Zen Engineer!" becomes "zen-engineer"). */
    public static PersonalityId slug(String name) {
        String slug = name == null ? "" : java.text.Normalizer.normalize(name, java.text.Normalizer.Form.NFKD)
                .replaceAll("\\p{M}", "")
                .toLowerCase(java.util.Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-")
                .replaceAll("^-+|-+$", "");
        if (slug.length() > 64) {
            slug = slug.substring(0, 64).replaceAll("-+$", "");
        }
        return new PersonalityId(slug.isEmpty() ? "personality" : slug);
    }

    @Override
    public String toString() {
        return value;
    }
}
