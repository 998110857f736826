package dev.nexus.host.persona;

import dev.nexus.host.InvalidInputException;
import java.util.List;

/**
 * A personality document has one or more problems; {@link #bundleProblems()} lists every one of
 * them with its file and field path ({@link #problems()} has the same as text, which the HTTP layer
 * puts into the problem document). Maps to HTTP 400 like every {@link InvalidInputException}.
 */
public final class InvalidPersonalityException extends InvalidInputException {

    private static final long serialVersionUID = 1L;

    /** The problems, never empty. */
    private final transient List<BundleProblem> bundleProblems;

    /**
     * Creates the exception.
     *
     * @param problems every problem found, at least one
     */
    public InvalidPersonalityException(List<BundleProblem> problems) {
        super(summary(problems), problems.stream().map(BundleProblem::toString).toList());
        this.bundleProblems = List.copyOf(problems);
    }

    /** Returns every problem found, in document order. */
    public List<BundleProblem> bundleProblems() {
        return bundleProblems;
    }

    private static String summary(List<BundleProblem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an invalid personality needs at least one problem");
        }
        return "personality document has " + problems.size() + (problems.size() == 1 ? " problem" : " problems");
    }
}
