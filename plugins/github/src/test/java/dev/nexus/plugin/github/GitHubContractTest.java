package dev.nexus.plugin.github;

import dev.nexus.api.testing.FakePluginContext;
import dev.nexus.api.tool.Tool;
import dev.nexus.api.tool.ToolContract;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;

/** GitHub actions pass the Tool contract of plugin-api, against the local fake. */
class GitHubContractTest {

    static FakeGitHub github;

    @BeforeAll
    static void start() {
        github = FakeGitHub.start("ghp_test");
    }

    @AfterAll
    static void stop() {
        github.close();
    }

    static FakePluginContext context() {
        return FakePluginContext.builder("github")
                .config(Map.of("api-url", github.url()))
                .secret("TOKEN", "ghp_test")
                .build();
    }

    @Nested
    class Read extends ToolContract {
        @Override
        protected Tool newTool() {
            return new ReadRepository();
        }

        @Override
        protected FakePluginContext newContext() {
            return context();
        }

        @Override
        protected Optional<Map<String, Object>> workingArguments() {
            return Optional.of(Map.of("repo", "acme/site"));
        }
    }

    @Nested
    class List extends ToolContract {
        @Override
        protected Tool newTool() {
            return new ListIssues();
        }

        @Override
        protected FakePluginContext newContext() {
            return context();
        }

        @Override
        protected Optional<Map<String, Object>> workingArguments() {
            return Optional.of(Map.of("repo", "acme/site"));
        }
    }

    @Nested
    class Create extends ToolContract {
        @Override
        protected Tool newTool() {
            return new CreateIssue();
        }

        @Override
        protected FakePluginContext newContext() {
            return context();
        }

        @Override
        protected Optional<Map<String, Object>> workingArguments() {
            return Optional.of(Map.of("repo", "acme/site", "title", "From the contract"));
        }
    }

    @Nested
    class PullRequest extends ToolContract {
        @Override
        protected Tool newTool() {
            return new OpenPullRequest();
        }

        @Override
        protected FakePluginContext newContext() {
            return context();
        }

        @Override
        protected Optional<Map<String, Object>> workingArguments() {
            return Optional.empty();
        }
    }
}
