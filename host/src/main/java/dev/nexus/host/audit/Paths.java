package dev.nexus.host.audit;

import java.util.Optional;
import java.util.function.UnaryOperator;

/** Route patterns and the resource paths they name, for audit targets. Stateless. */
final class Paths {

    private Paths() {}

    /** Returns the index of the last {@code {parameter}} segment of {@code pattern}, or -1. */
    static int parameterIndex(String pattern) {
        String[] segments = pattern.split("/", -1);
        for (int i = segments.length - 1; i >= 0; i--) {
            if (isParameter(segments[i])) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Returns the resource a request of {@code pattern} acts on: the pattern up to its last parameter,
     * parameters filled in ({@code /v1/proposals/{id}/approve} names {@code /v1/proposals/42}); a pattern
     * without parameters is its own target.
     */
    static String target(String pattern, UnaryOperator<String> parameters) {
        int last = parameterIndex(pattern);
        if (last < 0) {
            return pattern;
        }
        String[] segments = pattern.split("/", -1);
        StringBuilder target = new StringBuilder();
        for (int i = 1; i <= last; i++) {
            String segment = segments[i];
            target.append('/')
                    .append(
                            isParameter(segment)
                                    ? parameters.apply(segment.substring(1, segment.length() - 1))
                                    : segment);
        }
        return target.toString();
    }

    /** Returns the value of {@code pattern}'s one parameter when {@code path} matches it, or empty. */
    static Optional<String> match(String pattern, String path) {
        String[] expected = pattern.split("/", -1);
        String[] actual = path.split("/", -1);
        if (expected.length != actual.length) {
            return Optional.empty();
        }
        String value = null;
        for (int i = 0; i < expected.length; i++) {
            if (isParameter(expected[i])) {
                value = actual[i];
            } else if (!expected[i].equals(actual[i])) {
                return Optional.empty();
            }
        }
        return Optional.ofNullable(value).filter(v -> !v.isEmpty());
    }

    private static boolean isParameter(String segment) {
        return segment.length() > 2 && segment.startsWith("{") && segment.endsWith("}");
    }
}
