package dev.nexus.plugin.github;

import dev.nexus.api.tool.RiskLevel;
import dev.nexus.api.tool.ToolSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.pf4j.Extension;

/** {@code github_open_pull_request}: Opens a pull request in a GitHub repository from a head branch into a base branch (default: the repository's default branch). */
@Extension
public final class OpenPullRequest extends GitHubTool {

    private static final ToolSpec SPEC = new ToolSpec(
            "github_open_pull_request",
            "Opens a pull request in a GitHub repository from a head branch into a base branch (default: the repository's default branch).",
            schema(
                    REPO
                            + ",\"title\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":256},\"head\":{\"type\":\"string\",\"maxLength\":200},\"base\":{\"type\":\"string\",\"maxLength\":200},\"body\":{\"type\":\"string\",\"maxLength\":65536}",
                    "repo",
                    "title",
                    "head"),
            RiskLevel.HIGH);

    /** Creates the tool; PF4J calls this. */
    public OpenPullRequest() {}

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    @Override
    String run(GitHubClient github, Args args, GitHubSettings settings) {
        args.only(Set.of("repo", "title", "head", "base", "body"));
        String repo = args.repo(settings);
        String head = args.branch("head", true);
        String base = args.branch("base", false);
        if (base.isEmpty()) {
            base = text(object(github.get("/repos/" + repo), "the repository"), "default_branch");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", args.text("title", 256));
        body.put("head", head);
        body.put("base", base);
        args.optionalText("body", 65_536).ifPresent(b -> body.put("body", b));
        Map<String, Object> pull =
                object(github.send("POST", "/repos/" + repo + "/pulls", body), "the new pull request");
        return "Opened pull request #" + pull.get("number") + " in " + repo + " (" + head + " into " + base + "): "
                + text(pull, "html_url");
    }
}
