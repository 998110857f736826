package dev.nexus.plugin.files;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads a call's arguments, refusing unknown names and wrong types with a message naming the argument. Immutable. */
record Args(String tool, Map<String, Object> values) {

    /** Refuses arguments outside {@code known}. */
    Args only(Set<String> known) {
        for (String key : values.keySet()) {
            if (!known.contains(key)) {
                throw new Refusal("unknown argument '" + cap(key) + "'; " + tool + " takes "
                        + known.stream().sorted().toList());
            }
        }
        return this;
    }

    String text(String name) {
        return optionalText(name)
                .orElseThrow(() -> new Refusal("argument '" + name + "' is required and must be a string"));
    }

    Optional<String> optionalText(String name) {
        Object value = values.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String s)) {
            throw new Refusal("argument '" + name + "' must be a string");
        }
        return Optional.of(s);
    }

    boolean flag(String name, boolean fallback) {
        Object value = values.get(name);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Boolean b)) {
            throw new Refusal("argument '" + name + "' must be true or false");
        }
        return b;
    }

    static String cap(String value) {
        return value.length() <= 80 ? value : value.substring(0, 80) + "…(" + value.length() + " chars)";
    }
}
