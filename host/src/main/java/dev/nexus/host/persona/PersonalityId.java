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

    /**
     * Turns any name into a valid id ("Zen Engineer!" becomes "zen-engineer"). A name in another
     * script is transliterated first ("港語" becomes "gang-yu"); a name with nothing left to spell
     * (only symbols or emoji) gets {@code personality-} and a stable 8-digit hash of the name, so
     * different names never share an id by accident.
     */
    public static PersonalityId slug(String name) {
        String text = name == null ? "" : name;
        String slug = ascii(text);
        if (!text.isBlank() && (slug.isEmpty() || nonLatinLetters(text))) {
            String latin = Latin.of(text).map(PersonalityId::ascii).orElse("");
            slug = latin.isEmpty() ? slug : latin;
        }
        if (slug.isEmpty() && !text.isBlank()) {
            slug = "personality-" + hash(text);
        }
        if (slug.length() > 64) {
            slug = slug.substring(0, 64).replaceAll("-+$", "");
        }
        return new PersonalityId(slug.isEmpty() ? "personality" : slug);
    }

    private static String ascii(String text) {
        return java.text.Normalizer.normalize(text, java.text.Normalizer.Form.NFKD)
                .replaceAll("\\p{M}", "")
                .toLowerCase(java.util.Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-")
                .replaceAll("^-+|-+$", "");
    }

    /** True when a letter would be lost by the plain ASCII slug (a CJK, Cyrillic, Greek, … letter). */
    private static boolean nonLatinLetters(String text) {
        String stripped = java.text.Normalizer.normalize(text, java.text.Normalizer.Form.NFKD)
                .replaceAll("\\p{M}", "");
        return stripped.codePoints().anyMatch(c -> Character.isLetter(c) && c > 0x7F);
    }

    private static String hash(String text) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest, 0, 4);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
