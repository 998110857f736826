package dev.nexus.plugin.github;

import dev.nexus.api.tool.RiskLevel;
import dev.nexus.api.tool.ToolSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.pf4j.Extension;

/** {@code github_commit_file}: Commits one file (created or replaced) to a branch of a GitHub repository through the contents API. */
@Extension
public final class CommitFile extends GitHubTool {

    private static final ToolSpec SPEC = new ToolSpec(
            "github_commit_file",
            "Commits one file (created or replaced) to a branch of a GitHub repository through the contents API.",
            schema(
                    REPO
                            + ",\"branch\":{\"type\":\"string\",\"maxLength\":200},\"path\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":1000},\"content\":{\"type\":\"string\",\"maxLength\":1000000},\"message\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":1000}",
                    "repo",
                    "branch",
                    "path",
                    "content",
                    "message"),
            RiskLevel.HIGH);

    /** Creates the tool; PF4J calls this. */
    public CommitFile() {}

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    @Override
    String run(GitHubClient github, Args args, GitHubSettings settings) {
        args.only(Set.of("repo", "branch", "path", "content", "message"));
        String repo = args.repo(settings);
        String branch = args.branch("branch", true);
        String path = args.text("path", 1000);
        if (path.startsWith("/") || path.contains("..") || path.isBlank()) {
            throw new GitHubException(
                    "argument 'path' must be a path in the repository such as \"docs/intro.md\"", false);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", args.text("message", 1000));
        body.put(
                "content",
                java.util.Base64.getEncoder()
                        .encodeToString(
                                args.text("content", 1_000_000).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        body.put("branch", branch);
        try {
            Map<String, Object> existing = object(
                    github.get("/repos/" + repo + "/contents/" + segment(path) + "?ref=" + segment(branch)),
                    "the file");
            body.put("sha", text(existing, "sha"));
        } catch (GitHubException e) {
            if (!e.getMessage().contains("404")) {
                throw e;
            }
        }
        Map<String, Object> answer =
                object(github.send("PUT", "/repos/" + repo + "/contents/" + segment(path), body), "the commit");
        Map<String, Object> commit = object(answer.get("commit"), "the commit");
        return (body.containsKey("sha") ? "Updated " : "Created ") + path + " on " + repo + "@" + branch + " in commit "
                + text(commit, "sha");
    }
}
