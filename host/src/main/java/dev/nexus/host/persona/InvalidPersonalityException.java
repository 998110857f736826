package dev.nexus.host.persona;

import dev.nexus.host.InvalidInputException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A personality document has one or more problems; {@link #problems()} lists every one of them,
 * each with its file and field path. Maps to HTTP 400 like every {@link InvalidInputException}.
 */
public final class InvalidPersonalityException extends InvalidInputException {

    private static final long serialVersionUID = 1L;

    /** The problems, never empty. */
    private final transient List<BundleProblem> problems;

    /**
     * Creates the exception.
     *
     * @param problems every problem found, at least one
     */
    public InvalidPersonalityException(List<BundleProblem> problems) {
        super(describe(problems));
        this.problems = List.copyOf(problems);
    }

    /** Returns every problem found, in document order. */
    public List<BundleProblem> problems() {
        return problems;
    }

    private static String describe(List<BundleProblem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an invalid personality needs at least one problem");
        }
        String noun = problems.size() == 1 ? "problem" : "problems";
        return "personality document has " + problems.size() + " " + noun + ": "
                + problems.stream().map(BundleProblem::toString).collect(Collectors.joining("; "));
    }
}
