package dev.nexus.plugin.github;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.api.testing.FakePluginContext;
import dev.nexus.api.tool.Tool;
import dev.nexus.api.tool.ToolCall;
import dev.nexus.api.tool.ToolResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The GitHub actions against a local server speaking GitHub's REST shapes. */
class GitHubTest {

    private FakeGitHub github;
    private FakePluginContext context;

    @BeforeEach
    void start() {
        github = FakeGitHub.start("ghp_test");
        context = FakePluginContext.builder("github")
                .config(Map.of("api-url", github.url(), "max-wait-seconds", 1))
                .secret("TOKEN", "ghp_test")
                .build();
    }

    @AfterEach
    void stop() {
        github.close();
    }

    private ToolResult call(Tool tool, String id, Map<String, Object> arguments) {
        tool.start(context);
        return tool.invoke(new ToolCall(id, tool.spec().name(), arguments, "ada", "sage"));
    }

    private static String ok(ToolResult result) {
        assertThat(result).isInstanceOf(ToolResult.Success.class);
        return ((ToolResult.Success) result).content();
    }

    private static ToolResult.Failure failed(ToolResult result) {
        assertThat(result).isInstanceOf(ToolResult.Failure.class);
        return (ToolResult.Failure) result;
    }

    @Test
    void createIssue_answersTheNumber_andARepeatOfTheSameCallDoesNotOpenASecond() {
        String first = ok(call(
                new CreateIssue(), "task-1", Map.of("repo", "acme/site", "title", "Broken link", "body", "on /about")));
        String again = ok(call(new CreateIssue(), "task-1", Map.of("repo", "acme/site", "title", "Broken link")));

        assertThat(first).isEqualTo("Created issue #1 in acme/site: https://github.com/acme/site/issues/1");
        assertThat(again).isEqualTo(first + " (done earlier for this call; not repeated)");
        assertThat(github.issues("acme/site"))
                .singleElement()
                .satisfies(i -> assertThat(i).containsEntry("body", "on /about"));
        assertThat(github.count("POST", "/repos/acme/site/issues")).isEqualTo(1);
    }

    @Test
    void listIssues_followsTheLinkHeadersPages_andSkipsPullRequests() {
        for (int i = 1; i <= 130; i++) {
            github.seedIssue("acme/site", "issue " + i);
        }
        github.repo("acme/app");
        ok(call(new CreateBranch(), "b", Map.of("repo", "acme/app", "branch", "feature")));
        ok(call(
                new CommitFile(),
                "f",
                Map.of("repo", "acme/app", "branch", "feature", "path", "a.txt", "content", "a", "message", "a")));
        ok(call(new OpenPullRequest(), "p", Map.of("repo", "acme/app", "title", "A pull request", "head", "feature")));
        github.seedIssue("acme/app", "a real issue");
        assertThat(ok(call(new ListIssues(), "l", Map.of("repo", "acme/app")))).isEqualTo("#2 [open] a real issue\n");
        context = FakePluginContext.builder("github")
                .config(Map.of("api-url", github.url(), "max-items", 500))
                .secret("TOKEN", "ghp_test")
                .build();

        String listed = ok(call(new ListIssues(), "c", Map.of("repo", "acme/site", "limit", 120)));

        List<String> lines = List.of(listed.split("\n"));
        assertThat(lines).hasSize(120).first().isEqualTo("#130 [open] issue 130");
        assertThat(lines.get(119)).isEqualTo("#11 [open] issue 11");
        assertThat(github.requests())
                .as("130 issues at 100 a page")
                .filteredOn(r -> r.method().equals("GET") && r.path().equals("/repos/acme/site/issues"))
                .hasSize(2);
    }

    @Test
    void notFound_validationErrors_andBadTokens_areFailuresThatSayWhatToDo() {
        ToolResult.Failure missing = failed(call(new ReadRepository(), "c", Map.of("repo", "acme/nowhere")));
        assertThat(missing.message())
                .isEqualTo(
                        "GitHub answered 404 for GET /repos/acme/nowhere: it does not exist, or the token cannot see it");
        assertThat(missing.retriable()).isFalse();

        ToolResult.Failure invalid = failed(call(new CreateIssue(), "c2", Map.of("repo", "acme/site", "title", " ")));
        assertThat(invalid.message())
                .isEqualTo(
                        "GitHub refused POST /repos/acme/site/issues as invalid (422 Validation Failed): title missing_field");
        assertThat(invalid.retriable()).isFalse();

        ToolResult.Failure noCommits =
                failed(call(new OpenPullRequest(), "c3", Map.of("repo", "acme/site", "title", "t", "head", "main")));
        assertThat(noCommits.message()).endsWith("(422 Validation Failed): No commits between main and main");

        context = FakePluginContext.builder("github")
                .config(Map.of("api-url", github.url()))
                .secret("TOKEN", "wrong")
                .build();
        ToolResult.Failure badToken = failed(call(new ReadRepository(), "c4", Map.of("repo", "acme/site")));
        assertThat(badToken.message())
                .isEqualTo(
                        "GitHub refused the token (401: Bad credentials); set a valid one in NEXUS_SECRET_GITHUB_TOKEN")
                .doesNotContain("wrong");
    }

    @Test
    void aSecondaryRateLimit_isWaitedOutWhenShort_andFailsRetriablyWhenLong() {
        github.throttleNext(1, 403, 1);
        assertThat(ok(call(new ReadRepository(), "c", Map.of("repo", "acme/site"))))
                .startsWith("acme/site: The acme/site repository");

        github.throttleNext(2, 429, 120);
        ToolResult.Failure limited = failed(call(new ReadRepository(), "c", Map.of("repo", "acme/site")));
        assertThat(limited.message()).isEqualTo("GitHub's rate limit was reached (429); retry after 120 s");
        assertThat(limited.retriable()).isTrue();
    }

    @Test
    void aBranch_aCommittedFile_andAPullRequest_makeAChangeReviewable() {
        assertThat(ok(call(new CreateBranch(), "b1", Map.of("repo", "acme/site", "branch", "fix-typo"))))
                .startsWith("Created branch fix-typo in acme/site from main at ");
        assertThat(ok(call(
                        new CommitFile(),
                        "f1",
                        Map.of(
                                "repo",
                                "acme/site",
                                "branch",
                                "fix-typo",
                                "path",
                                "docs/intro.md",
                                "content",
                                "Hello, world",
                                "message",
                                "Fix the typo"))))
                .startsWith("Created docs/intro.md on acme/site@fix-typo in commit ");
        assertThat(ok(call(
                        new CommitFile(),
                        "f2",
                        Map.of(
                                "repo",
                                "acme/site",
                                "branch",
                                "fix-typo",
                                "path",
                                "docs/intro.md",
                                "content",
                                "Hello, world!",
                                "message",
                                "Again"))))
                .startsWith("Updated docs/intro.md on acme/site@fix-typo");
        assertThat(github.file("acme/site", "fix-typo", "docs/intro.md")).isEqualTo("Hello, world!");
        assertThat(ok(call(
                        new OpenPullRequest(),
                        "p1",
                        Map.of("repo", "acme/site", "title", "Fix the typo", "head", "fix-typo"))))
                .isEqualTo(
                        "Opened pull request #1 in acme/site (fix-typo into main): https://github.com/acme/site/pull/1");
        assertThat(ok(call(
                        new CommentIssue(), "m1", Map.of("repo", "acme/site", "number", 1, "body", "Please review"))))
                .startsWith("Commented on acme/site#1: ");
        assertThat(failed(call(new CreateBranch(), "b2", Map.of("repo", "acme/site", "branch", "fix-typo")))
                        .message())
                .isEqualTo("GitHub refused POST /repos/acme/site/git/refs as invalid (422 Reference already exists)");
    }

    @Test
    void allowedRepos_andMalformedArguments_areRefusedBeforeAnyRequest() {
        context = FakePluginContext.builder("github")
                .config(Map.of("api-url", github.url(), "allowed-repos", List.of("acme/site")))
                .secret("TOKEN", "ghp_test")
                .build();
        assertThat(failed(call(new CreateIssue(), "c", Map.of("repo", "evil/repo", "title", "x")))
                        .message())
                .isEqualTo("repository 'evil/repo' is not in plugins.config.github.allowed-repos [acme/site]");
        assertThat(failed(call(new CreateIssue(), "c", Map.of("repo", "../x", "title", "x")))
                        .message())
                .startsWith("argument 'repo' must be owner/name");
        assertThat(failed(call(
                                new CommitFile(),
                                "c",
                                Map.of(
                                        "repo",
                                        "acme/site",
                                        "branch",
                                        "a..b",
                                        "path",
                                        "x",
                                        "content",
                                        "",
                                        "message",
                                        "m")))
                        .message())
                .startsWith("argument 'branch' must be a branch name");
        assertThat(github.requests()).isEmpty();
    }
}
