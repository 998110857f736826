package dev.nexus.host.persona;

import java.util.Locale;

/**
 * Who owns a personality id, and so who may change it. Immutable.
 *
 * @param kind the kind of source
 * @param detail the bundle file (e.g. {@code personalities/zen/persona.yaml}), the plugin id, or empty for the API
 */
public record Owner(Kind kind, String detail) {

    /** The kinds of source, in precedence order for drop-in content (bundle over plugin). */
    public enum Kind {
        /** A drop-in bundle or single card file in the personalities directory. */
        BUNDLE,
        /** A {@code PersonalityProvider} plugin. */
        PLUGIN,
        /** Created over the HTTP API and stored in the database. */
        API;

        /** Returns the lower-case label used in storage and JSON. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Kind parse(String label) {
            return valueOf(label.toUpperCase(Locale.ROOT));
        }
    }

    /** Validates the owner. */
    public Owner {
        if (kind == null) {
            throw new IllegalArgumentException("an owner needs a kind");
        }
        detail = detail == null ? "" : detail;
    }

    /** Returns the API owner. */
    public static Owner api() {
        return new Owner(Kind.API, "");
    }

    /** Returns the owner for the bundle at {@code file}. */
    public static Owner bundle(String file) {
        return new Owner(Kind.BUNDLE, file);
    }

    /** Returns the owner for plugin {@code pluginId}. */
    public static Owner plugin(String pluginId) {
        return new Owner(Kind.PLUGIN, pluginId);
    }

    /** Returns the source label of versions this owner makes: {@code bundle}, {@code plugin:<id>} or {@code api}. */
    public String source() {
        return kind == Kind.PLUGIN ? "plugin:" + detail : kind.label();
    }

    /** Describes the owner for messages: "the bundle personalities/zen/persona.yaml", "plugin 'acme'", "the API". */
    public String describe() {
        return switch (kind) {
            case BUNDLE -> "the bundle " + detail;
            case PLUGIN -> "plugin '" + detail + "'";
            case API -> "the API";
        };
    }
}
