package dev.nexus.host.persona;

/**
 * One thing wrong with a personality document, located by file and field path. Immutable.
 *
 * @param file where the document came from, e.g. {@code personalities/zen/persona.yaml},
 *     {@code plugin:acme/zen} or {@code request body}
 * @param field the field path inside the document, e.g. {@code traits.verbosity.value} or
 *     {@code examples[1][0].role}; {@code (document)} when the document as a whole is wrong
 * @param message what is wrong and how to fix it
 */
public record BundleProblem(String file, String field, String message) {

    /** Validates that every part is present. */
    public BundleProblem {
        if (file == null || field == null || message == null) {
            throw new IllegalArgumentException("a bundle problem needs a file, a field and a message");
        }
    }

    /** Returns {@code file: field: message}, the form shown to people and written to logs. */
    @Override
    public String toString() {
        return file + ": " + field + ": " + message;
    }
}
