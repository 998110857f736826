package dev.nexus.host.persona;

import com.ibm.icu.text.Transliterator;
import java.util.Optional;

/**
 * Writes names in other scripts in Latin letters ("港語" → "gang yu", "김민수" → "gimminsu"), for ids
 * made from names. The one place ICU4J is used; its transliterator is built on first use. Thread-safe.
 */
final class Latin {

    private Latin() {}

    /** Returns {@code text} transliterated to ASCII Latin, or empty when the transliterator is unavailable. */
    static Optional<String> of(String text) {
        try {
            return Optional.of(Holder.ANY_TO_ASCII.transliterate(text));
        } catch (RuntimeException | LinkageError e) {
            return Optional.empty();
        }
    }

    private static final class Holder {
        static final Transliterator ANY_TO_ASCII = Transliterator.getInstance("Any-Latin; Latin-ASCII");
    }
}
