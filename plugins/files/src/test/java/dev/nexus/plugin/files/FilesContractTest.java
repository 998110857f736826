package dev.nexus.plugin.files;

import dev.nexus.api.testing.FakePluginContext;
import dev.nexus.api.tool.Tool;
import dev.nexus.api.tool.ToolContract;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/** Every files action passes the Tool contract of plugin-api. */
class FilesContractTest {

    @TempDir
    static Path root;

    static FakePluginContext context() {
        return FakePluginContext.builder("files")
                .config(Map.of("root", root.toString()))
                .build();
    }

    @Nested
    class List extends ToolContract {
        @Override
        protected Tool newTool() {
            return new ListFiles();
        }

        @Override
        protected FakePluginContext newContext() {
            return context();
        }

        @Override
        protected Optional<Map<String, Object>> workingArguments() {
            return Optional.of(Map.of());
        }
    }

    @Nested
    class Write extends ToolContract {
        @Override
        protected Tool newTool() {
            return new WriteFile();
        }

        @Override
        protected FakePluginContext newContext() {
            return context();
        }

        @Override
        protected Optional<Map<String, Object>> workingArguments() {
            return Optional.of(Map.of("path", "contract/note.txt", "content", "hello"));
        }
    }

    @Nested
    class Read extends ToolContract {
        @Override
        protected Tool newTool() {
            return new ReadFile();
        }

        @Override
        protected FakePluginContext newContext() {
            return context();
        }

        @Override
        protected Optional<Map<String, Object>> workingArguments() {
            try {
                java.nio.file.Files.createDirectories(root.resolve("contract-user/contract"));
                java.nio.file.Files.writeString(root.resolve("contract-user/contract/note.txt"), "hello");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return Optional.of(Map.of("path", "contract/note.txt"));
        }
    }

    @Nested
    class Search extends ToolContract {
        @Override
        protected Tool newTool() {
            return new SearchFiles();
        }

        @Override
        protected FakePluginContext newContext() {
            return context();
        }

        @Override
        protected Optional<Map<String, Object>> workingArguments() {
            return Optional.of(Map.of("query", "hello"));
        }
    }

    @Nested
    class Move extends ToolContract {
        @Override
        protected Tool newTool() {
            return new MoveFile();
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

    @Nested
    class Delete extends ToolContract {
        @Override
        protected Tool newTool() {
            return new DeleteFile();
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
