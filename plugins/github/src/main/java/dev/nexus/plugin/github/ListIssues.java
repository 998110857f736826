package dev.nexus.plugin.github;

import dev.nexus.api.tool.RiskLevel;
import dev.nexus.api.tool.ToolSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pf4j.Extension;

/** {@code github_list_issues}: Lists issues of a GitHub repository (not pull requests), newest first: number, state, title. */
@Extension
public final class ListIssues extends GitHubTool {

    private static final ToolSpec SPEC = new ToolSpec(
            "github_list_issues",
            "Lists issues of a GitHub repository (not pull requests), newest first: number, state, title.",
            schema(
                    REPO
                            + ",\"state\":{\"enum\":[\"open\",\"closed\",\"all\"]},\"limit\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":1000}",
                    "repo"),
            RiskLevel.LOW);

    /** Creates the tool; PF4J calls this. */
    public ListIssues() {}

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    @Override
    String run(GitHubClient github, Args args, GitHubSettings settings) {
        args.only(Set.of("repo", "state", "limit"));
        String repo = args.repo(settings);
        String state = args.optionalText("state", 10).orElse("open");
        if (!Set.of("open", "closed", "all").contains(state)) {
            throw new GitHubException("argument 'state' must be open, closed or all", false);
        }
        int limit = (int) Math.min(settings.maxItems(), args.number("limit", 1, 1000, 30));
        List<Object> items = github.list("/repos/" + repo + "/issues?state=" + state, limit * 2);
        StringBuilder out = new StringBuilder();
        int shown = 0;
        for (Object item : items) {
            Map<String, Object> issue = object(item, "an issue");
            if (issue.containsKey("pull_request") || shown >= limit) {
                continue;
            }
            out.append("#")
                    .append(issue.get("number"))
                    .append(" [")
                    .append(issue.get("state"))
                    .append("] ")
                    .append(issue.get("title"))
                    .append("\n");
            shown++;
        }
        return shown == 0 ? "no " + state + " issues in " + repo : out.toString();
    }
}
