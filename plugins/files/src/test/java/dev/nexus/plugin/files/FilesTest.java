package dev.nexus.plugin.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.api.testing.FakePluginContext;
import dev.nexus.api.tool.Tool;
import dev.nexus.api.tool.ToolCall;
import dev.nexus.api.tool.ToolResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files actions on a real temporary directory: what they do, and what they refuse with a clear message. */
class FilesTest {

    @TempDir
    Path root;

    private Map<String, Object> config;

    @BeforeEach
    void configure() {
        config = Map.of("root", root.toString(), "max-file-bytes", 64, "max-files", 3, "max-workspace-bytes", 100);
    }

    private ToolResult call(Tool tool, String user, Map<String, Object> arguments) {
        tool.start(FakePluginContext.builder("files").config(config).build());
        return tool.invoke(new ToolCall("call-1", tool.spec().name(), arguments, user, "sage"));
    }

    private static String ok(ToolResult result) {
        assertThat(result).isInstanceOf(ToolResult.Success.class);
        return ((ToolResult.Success) result).content();
    }

    private static String refused(ToolResult result) {
        assertThat(result).isInstanceOf(ToolResult.Failure.class);
        assertThat(((ToolResult.Failure) result).retriable()).isFalse();
        return ((ToolResult.Failure) result).message();
    }

    @Test
    void write_read_list_search_move_delete_workInTheUsersOwnWorkspace() {
        assertThat(ok(call(new WriteFile(), "ada", Map.of("path", "notes/today.md", "content", "# Today\nbuy tea\n"))))
                .isEqualTo("wrote notes/today.md (16 bytes)");
        assertThat(root.resolve("ada/notes/today.md")).hasContent("# Today\nbuy tea\n");
        assertThat(ok(call(new ReadFile(), "ada", Map.of("path", "notes/today.md"))))
                .isEqualTo("# Today\nbuy tea\n");
        assertThat(ok(call(new ListFiles(), "ada", Map.of("recursive", true))))
                .isEqualTo("notes/\nnotes/today.md  16 bytes\n");
        assertThat(ok(call(new SearchFiles(), "ada", Map.of("query", "TEA")))).isEqualTo("notes/today.md:2: buy tea\n");
        assertThat(ok(call(new MoveFile(), "ada", Map.of("from", "notes/today.md", "to", "archive/day1.md"))))
                .isEqualTo("moved notes/today.md to archive/day1.md");
        assertThat(ok(call(new DeleteFile(), "ada", Map.of("path", "archive", "recursive", true))))
                .isEqualTo("deleted archive and 1 entries in it");
        assertThat(refused(call(new ReadFile(), "bob", Map.of("path", "notes/today.md"))))
                .as("bob has a workspace of his own")
                .isEqualTo("there is no file or directory 'notes/today.md' in the workspace");
    }

    @Test
    void pathsOutsideTheWorkspace_areRefusedNamingTheFix() {
        assertThat(refused(call(new ReadFile(), "ada", Map.of("path", "../bob/secret.txt"))))
                .isEqualTo("'path' may not contain '..': paths stay inside the workspace, got '../bob/secret.txt'");
        assertThat(refused(call(new ReadFile(), "ada", Map.of("path", "/etc/passwd"))))
                .isEqualTo("'path' must be relative to the workspace, such as \"notes/today.md\", got '/etc/passwd'");
        assertThat(refused(call(new WriteFile(), "ada", Map.of("path", "a\u0000b", "content", "x"))))
                .startsWith("'path' contains a control character");
        assertThat(refused(call(new DeleteFile(), "ada", Map.of("path", "."))))
                .isEqualTo("the workspace itself cannot be deleted; name a file or directory inside it");
        assertThat(ok(call(new WriteFile(), "../../etc", Map.of("path", "x", "content", "x"))))
                .isEqualTo("wrote x (1 bytes)");
        assertThat(root.getParent().resolve("etc"))
                .as("a user id is never a path")
                .doesNotExist();
        assertThat(root.resolve(Workspace.directoryName("../../etc")).resolve("x"))
                .hasContent("x");
    }

    @Test
    void aSymbolicLinkPointingOut_isNeverFollowed() throws IOException {
        Path outside = Files.writeString(
                Files.createDirectories(root.resolve("elsewhere")).resolve("secret.txt"), "top secret");
        Files.createDirectories(root.resolve("ada"));
        Files.createSymbolicLink(root.resolve("ada/escape"), outside.getParent());
        Files.createSymbolicLink(root.resolve("ada/secret-link.txt"), outside);

        assertThat(refused(call(new ReadFile(), "ada", Map.of("path", "escape/secret.txt"))))
                .isEqualTo(
                        "'path' goes through a symbolic link ('escape'); links are not followed, so the workspace cannot reach "
                                + "outside itself");
        assertThat(refused(call(new ReadFile(), "ada", Map.of("path", "secret-link.txt"))))
                .contains("symbolic link");
        assertThat(refused(call(new WriteFile(), "ada", Map.of("path", "escape/new.txt", "content", "x"))))
                .contains("symbolic link");
        assertThat(ok(call(new ListFiles(), "ada", Map.of()))).contains("escape -> (symbolic link, not followed)");
        assertThat(ok(call(new DeleteFile(), "ada", Map.of("path", "escape")))).isEqualTo("deleted escape");
        assertThat(outside).hasContent("top secret");
    }

    @Test
    void sizeAndCountLimits_refuseTheWrite_andNameTheSetting() {
        assertThat(refused(call(new WriteFile(), "ada", Map.of("path", "big.txt", "content", "x".repeat(65)))))
                .isEqualTo("the content is 65 bytes; files are at most 64 bytes (plugins.config.files.max-file-bytes)");
        for (int i = 0; i < 3; i++) {
            ok(call(new WriteFile(), "ada", Map.of("path", "f" + i, "content", "x".repeat(30))));
        }
        assertThat(refused(call(new WriteFile(), "ada", Map.of("path", "f3", "content", "x"))))
                .startsWith(
                        "the workspace already holds 3 files, the most it may hold (plugins.config.files.max-files)");
        assertThat(refused(call(new WriteFile(), "ada", Map.of("path", "f0", "content", "x".repeat(41)))))
                .isEqualTo(
                        "the workspace would hold 101 bytes, more than its limit of 100 (plugins.config.files.max-workspace-bytes); "
                                + "delete some files first");
        assertThat(ok(call(new WriteFile(), "ada", Map.of("path", "f0", "content", "x".repeat(40)))))
                .as("replacing a file counts its new size only")
                .isEqualTo("wrote f0 (40 bytes)");
    }

    @Test
    void wrongArguments_areFailuresNamingTheArgument() {
        assertThat(refused(call(new ReadFile(), "ada", Map.of("path", 42))))
                .isEqualTo("argument 'path' must be a string");
        assertThat(refused(call(new ReadFile(), "ada", Map.of("path", "a", "mode", "x"))))
                .isEqualTo("unknown argument 'mode'; files_read takes [path]");
        assertThat(refused(call(new WriteFile(), "ada", Map.of("path", "a", "content", "b", "overwrite", "yes"))))
                .isEqualTo("argument 'overwrite' must be true or false");
    }

    @Test
    void workspaces_canBePerPersonality() {
        config = Map.of("root", root.toString(), "per", "personality");
        ok(call(new WriteFile(), "ada", Map.of("path", "plan.md", "content", "plan")));
        assertThat(root.resolve("sage/plan.md")).hasContent("plan");
        assertThat(Workspace.directoryName("telegram:123"))
                .startsWith("telegram_123-")
                .hasSize("telegram_123-".length() + 12);
    }
}
