package dev.nexus.plugin.github;

import dev.nexus.api.tool.RiskLevel;
import dev.nexus.api.tool.ToolSpec;
import java.util.Map;
import java.util.Set;
import org.pf4j.Extension;

/** {@code github_get_repo}: Reads a GitHub repository: description, default branch, visibility, stars and open issues. */
@Extension
public final class ReadRepository extends GitHubTool {

    private static final ToolSpec SPEC = new ToolSpec(
            "github_get_repo",
            "Reads a GitHub repository: description, default branch, visibility, stars and open issues.",
            schema(REPO, "repo"),
            RiskLevel.LOW);

    /** Creates the tool; PF4J calls this. */
    public ReadRepository() {}

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    @Override
    String run(GitHubClient github, Args args, GitHubSettings settings) {
        args.only(Set.of("repo"));
        String repo = args.repo(settings);
        Map<String, Object> r = object(github.get("/repos/" + repo), "the repository");
        return r.get("full_name") + ": " + text(r, "description") + "\ndefault branch: " + r.get("default_branch")
                + "\nvisibility: " + (Boolean.TRUE.equals(r.get("private")) ? "private" : "public") + "\nstars: "
                + text(r, "stargazers_count") + ", open issues: " + text(r, "open_issues_count") + "\n"
                + text(r, "html_url");
    }
}
