package dev.nexus.plugin.github;

import dev.nexus.api.tool.RiskLevel;
import dev.nexus.api.tool.ToolSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pf4j.Extension;

/** {@code github_create_issue}: Opens a new issue in a GitHub repository; answers with the issue number and URL. */
@Extension
public final class CreateIssue extends GitHubTool {

    private static final ToolSpec SPEC = new ToolSpec(
            "github_create_issue",
            "Opens a new issue in a GitHub repository; answers with the issue number and URL.",
            schema(
                    REPO
                            + ",\"title\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":256},\"body\":{\"type\":\"string\",\"maxLength\":65536},\"labels\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"maxItems\":20}",
                    "repo",
                    "title"),
            RiskLevel.HIGH);

    /** Creates the tool; PF4J calls this. */
    public CreateIssue() {}

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    @Override
    String run(GitHubClient github, Args args, GitHubSettings settings) {
        args.only(Set.of("repo", "title", "body", "labels"));
        String repo = args.repo(settings);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", args.text("title", 256));
        args.optionalText("body", 65_536).ifPresent(b -> body.put("body", b));
        Object labels = args.values().get("labels");
        if (labels != null) {
            if (!(labels instanceof List<?> list) || !list.stream().allMatch(l -> l instanceof String)) {
                throw new GitHubException("argument 'labels' must be a list of strings", false);
            }
            body.put("labels", labels);
        }
        Map<String, Object> issue = object(github.send("POST", "/repos/" + repo + "/issues", body), "the new issue");
        return "Created issue #" + issue.get("number") + " in " + repo + ": " + text(issue, "html_url");
    }
}
