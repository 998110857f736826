package dev.nexus.host.json;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.io.IOException;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Binds the host's configuration (a tree read by {@link YamlTree}, with environment overrides merged in
 * as text) into settings records, with the configuration profile of the one Jackson configuration
 * ({@link Mappers#CONFIG}: kebab-case keys, text coerced to numbers and booleans). Thread-safe and
 * stateless.
 */
public final class ConfigBinding {

    private ConfigBinding() {}

    /** A value that does not fit its record: where (a dotted key path, empty for the record itself) and why. */
    public static final class Problem extends Exception {
        private static final long serialVersionUID = 1L;

        private final String path;

        Problem(String path, String message, Throwable cause) {
            super(message, cause, false, false);
            this.path = path;
        }

        /** Returns the key path below the bound tree, e.g. {@code pool.size}; empty for the whole record. */
        public String path() {
            return path;
        }
    }

    /** Returns the configuration key of a record component: {@code maxBodyBytes} is {@code max-body-bytes}. */
    public static String key(String componentName) {
        return PropertyNamingStrategies.KebabCaseStrategy.INSTANCE.translate(componentName);
    }

    /**
     * Binds {@code tree} (maps, lists, scalars) into {@code type}.
     *
     * @throws Problem naming the key path and what is wrong: an unknown key with the known ones, a
     *     record's own validation message, or a value of the wrong type
     */
    public static <T> T bind(Map<String, ?> tree, Class<T> type) throws Problem {
        try {
            return Mappers.CONFIG.treeToValue(Mappers.CONFIG.valueToTree(tree), type);
        } catch (IOException | IllegalArgumentException e) {
            throw problem(e);
        }
    }

    private static Problem problem(Exception e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return new Problem(
                    path(unknown),
                    "unknown key; known keys are "
                            + unknown.getKnownPropertyIds().stream()
                                    .map(String::valueOf)
                                    .sorted()
                                    .toList(),
                    e);
        }
        if (e instanceof ValueInstantiationException invalid) {
            Throwable cause = invalid.getCause() != null ? invalid.getCause() : invalid;
            return new Problem(path(invalid), String.valueOf(cause.getMessage()), e);
        }
        if (e instanceof JsonMappingException mapping) {
            String message = mapping.getOriginalMessage() == null
                    ? ""
                    : mapping.getOriginalMessage().lines().findFirst().orElse("");
            return new Problem(path(mapping), message, e);
        }
        return new Problem("", String.valueOf(e.getMessage()), e);
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
    }
}
