package dev.nexus.plugin.github;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads a call's arguments, refusing unknown names and wrong types with a message naming the argument. Immutable. */
record Args(String tool, Map<String, Object> values) {

    private static final Pattern REPO = Pattern.compile("[A-Za-z0-9-]{1,39}/[A-Za-z0-9._-]{1,100}");
    private static final Pattern BRANCH = Pattern.compile("[A-Za-z0-9._/-]{1,200}");

    Args only(Set<String> known) {
        for (String key : values.keySet()) {
            if (!known.contains(key)) {
                throw new GitHubException(
                        "unknown argument '" + cap(key) + "'; " + tool + " takes "
                                + known.stream().sorted().toList(),
                        false);
            }
        }
        return this;
    }

    String text(String name, int max) {
        return optionalText(name, max)
                .orElseThrow(
                        () -> new GitHubException("argument '" + name + "' is required and must be a string", false));
    }

    Optional<String> optionalText(String name, int max) {
        Object value = values.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String s)) {
            throw new GitHubException("argument '" + name + "' must be a string", false);
        }
        if (s.length() > max) {
            throw new GitHubException(
                    "argument '" + name + "' is " + s.length() + " characters; at most " + max, false);
        }
        if (s.chars().anyMatch(c -> c == 0)) {
            throw new GitHubException("argument '" + name + "' must not contain NUL characters", false);
        }
        return Optional.of(s);
    }

    long number(String name, long min, long max, long fallback) {
        Object value = values.get(name);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
            throw new GitHubException("argument '" + name + "' must be a whole number", false);
        }
        long v = n.longValue();
        if (v < min || v > max) {
            throw new GitHubException("argument '" + name + "' must be " + min + "-" + max + ", got " + v, false);
        }
        return v;
    }

    /** The {@code repo} argument: {@code owner/name}. */
    String repo(GitHubSettings settings) {
        String repo = text("repo", 200);
        if (!REPO.matcher(repo).matches()) {
            throw new GitHubException(
                    "argument 'repo' must be owner/name such as \"octocat/hello-world\", got '" + cap(repo) + "'",
                    false);
        }
        if (!settings.allows(repo)) {
            throw new GitHubException(
                    "repository '" + repo + "' is not in plugins.config.github.allowed-repos "
                            + settings.allowedRepos(),
                    false);
        }
        return repo;
    }

    /** A branch name argument. */
    String branch(String name, boolean required) {
        Optional<String> branch = optionalText(name, 200);
        if (branch.isEmpty()) {
            if (required) {
                throw new GitHubException(
                        "argument '" + name + "' is required: a branch name such as \"fix-typo\"", false);
            }
            return "";
        }
        if (!BRANCH.matcher(branch.get()).matches()
                || branch.get().contains("..")
                || branch.get().startsWith("/")) {
            throw new GitHubException(
                    "argument '" + name + "' must be a branch name of letters, digits, '.', '_', '-' and '/', got '"
                            + cap(branch.get()) + "'",
                    false);
        }
        return branch.get();
    }

    static String cap(String value) {
        return value.length() <= 80 ? value : value.substring(0, 80) + "…(" + value.length() + " chars)";
    }
}
