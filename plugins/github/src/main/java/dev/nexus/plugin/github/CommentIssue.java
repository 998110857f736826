package dev.nexus.plugin.github;

import dev.nexus.api.tool.RiskLevel;
import dev.nexus.api.tool.ToolSpec;
import java.util.Map;
import java.util.Set;
import org.pf4j.Extension;

/** {@code github_comment_issue}: Adds a comment to an issue or pull request of a GitHub repository. */
@Extension
public final class CommentIssue extends GitHubTool {

    private static final ToolSpec SPEC = new ToolSpec(
            "github_comment_issue",
            "Adds a comment to an issue or pull request of a GitHub repository.",
            schema(
                    REPO
                            + ",\"number\":{\"type\":\"integer\",\"minimum\":1},\"body\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":65536}",
                    "repo",
                    "number",
                    "body"),
            RiskLevel.HIGH);

    /** Creates the tool; PF4J calls this. */
    public CommentIssue() {}

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    @Override
    String run(GitHubClient github, Args args, GitHubSettings settings) {
        args.only(Set.of("repo", "number", "body"));
        String repo = args.repo(settings);
        long number = args.number("number", 1, Long.MAX_VALUE, -1);
        if (number < 1) {
            throw new GitHubException("argument 'number' is required: the issue number", false);
        }
        Map<String, Object> comment = object(
                github.send(
                        "POST",
                        "/repos/" + repo + "/issues/" + number + "/comments",
                        Map.of("body", args.text("body", 65_536))),
                "the new comment");
        return "Commented on " + repo + "#" + number + ": " + text(comment, "html_url");
    }
}
