package dev.nexus.host.memory;

/**
 * The body of {@code POST /v1/memory/facts}: a fact stated explicitly. Immutable.
 *
 * @param user whom it is about (required)
 * @param personality the only personality that may use it; absent = every personality
 * @param fact the fact (required, at most {@code memory.max-fact-chars} characters)
 * @param category one of {@link FactCategory}'s labels (default {@code other})
 * @param confidence 0–1 (default 1)
 */
public record NewFact(String user, String personality, String fact, String category, Double confidence) {

    /** Returns this fact about {@code owner} (the user the request acts for). */
    public NewFact forUser(String owner) {
        return new NewFact(owner, personality, fact, category, confidence);
    }
}
