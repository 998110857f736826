package dev.nexus.plugin.github;

import dev.nexus.api.tool.RiskLevel;
import dev.nexus.api.tool.ToolSpec;
import java.util.Map;
import java.util.Set;
import org.pf4j.Extension;

/** {@code github_create_branch}: Creates a branch in a GitHub repository from another branch (default: the repository's default branch). */
@Extension
public final class CreateBranch extends GitHubTool {

    private static final ToolSpec SPEC = new ToolSpec(
            "github_create_branch",
            "Creates a branch in a GitHub repository from another branch (default: the repository's default branch).",
            schema(
                    REPO
                            + ",\"branch\":{\"type\":\"string\",\"maxLength\":200},\"from\":{\"type\":\"string\",\"maxLength\":200}",
                    "repo",
                    "branch"),
            RiskLevel.HIGH);

    /** Creates the tool; PF4J calls this. */
    public CreateBranch() {}

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    @Override
    String run(GitHubClient github, Args args, GitHubSettings settings) {
        args.only(Set.of("repo", "branch", "from"));
        String repo = args.repo(settings);
        String branch = args.branch("branch", true);
        String from = args.branch("from", false);
        if (from.isEmpty()) {
            from = text(object(github.get("/repos/" + repo), "the repository"), "default_branch");
        }
        Map<String, Object> base =
                object(github.get("/repos/" + repo + "/git/ref/heads/" + segment(from)), "the base branch");
        String sha = text(object(base.get("object"), "the base commit"), "sha");
        github.send("POST", "/repos/" + repo + "/git/refs", Map.of("ref", "refs/heads/" + branch, "sha", sha));
        return "Created branch " + branch + " in " + repo + " from " + from + " at " + sha;
    }
}
