package dev.nexus.plugin.github;

import dev.nexus.api.PluginContext;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The {@code github} configuration section with its defaults. Immutable.
 *
 * @param api the REST API's base URL ({@code api-url}, default {@code https://api.github.com})
 * @param token the token ({@code NEXUS_SECRET_GITHUB_TOKEN}, else {@code token}); empty for anonymous reads
 * @param allowedRepos {@code owner/name} or {@code owner/*} patterns calls may reach; empty: any
 * @param timeout one request's limit ({@code timeout-ms}, default 10 s)
 * @param maxWait the longest Retry-After waited out inline ({@code max-wait-seconds}, default 5 s)
 * @param maxItems the most items a list returns across pages ({@code max-items}, default 100)
 */
record GitHubSettings(
        URI api, Optional<String> token, List<String> allowedRepos, Duration timeout, Duration maxWait, int maxItems) {

    /**
     * Reads the section and the secret.
     *
     * @throws IllegalArgumentException naming the key and the fix
     */
    static GitHubSettings from(PluginContext context) {
        String url = context.config()
                .string("api-url")
                .orElse("https://api.github.com")
                .strip();
        URI api;
        try {
            api = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("github config 'api-url' is not a URL: '" + url + "'");
        }
        if (!"https".equals(api.getScheme()) && !"http".equals(api.getScheme())) {
            throw new IllegalArgumentException(
                    "github config 'api-url' must be an http(s) URL such as https://api.github.com, got '" + url + "'");
        }
        Optional<String> token = context.secret("TOKEN")
                .or(() -> context.config().string("token"))
                .filter(t -> !t.isBlank());
        return new GitHubSettings(
                api,
                token,
                context.config().strings("allowed-repos"),
                Duration.ofMillis(context.config().integer("timeout-ms", 10_000)),
                Duration.ofSeconds(context.config().integer("max-wait-seconds", 5)),
                (int) context.config().integer("max-items", 100));
    }

    /** Returns true when calls may reach repository {@code repo} ({@code owner/name}). */
    boolean allows(String repo) {
        if (allowedRepos.isEmpty()) {
            return true;
        }
        String owner = repo.substring(0, repo.indexOf('/'));
        return allowedRepos.stream().anyMatch(p -> p.equalsIgnoreCase(repo) || p.equalsIgnoreCase(owner + "/*"));
    }
}
