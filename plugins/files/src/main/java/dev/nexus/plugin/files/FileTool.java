package dev.nexus.plugin.files;

import dev.nexus.api.PluginContext;
import dev.nexus.api.tool.Tool;
import dev.nexus.api.tool.ToolCall;
import dev.nexus.api.tool.ToolResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;

/**
 * What every files action shares: the configuration read once at start, the caller's workspace (per
 * user, or per personality), and refusals returned as non-retriable failures naming the fix.
 * Thread-safe: each call works on its own paths.
 */
abstract class FileTool implements Tool {

    private volatile FilesSettings settings;

    @Override
    public void start(PluginContext context) {
        settings = FilesSettings.from(context.config());
    }

    @Override
    public final ToolResult invoke(ToolCall call) {
        FilesSettings current = settings;
        if (current == null) {
            return new ToolResult.Failure(spec().name() + " is not started", true);
        }
        try {
            Workspace workspace = Workspace.of(current, current.perPersonality() ? call.personality() : call.user());
            return new ToolResult.Success(
                    run(workspace, new Args(spec().name(), call.arguments()), current), "text/plain");
        } catch (Refusal refusal) {
            return new ToolResult.Failure(refusal.getMessage(), false);
        } catch (NoSuchFileException e) {
            return new ToolResult.Failure(
                    "there is no file or directory '" + relative(e.getFile()) + "' in the workspace", false);
        } catch (FileAlreadyExistsException e) {
            return new ToolResult.Failure(
                    "'" + relative(e.getFile()) + "' already exists; pass \"overwrite\": true to replace it", false);
        } catch (DirectoryNotEmptyException e) {
            return new ToolResult.Failure(
                    "the directory '" + relative(e.getFile()) + "' is not empty; pass \"recursive\": true to "
                            + "delete it with everything in it",
                    false);
        } catch (AccessDeniedException e) {
            return new ToolResult.Failure("the file system refused access to '" + relative(e.getFile()) + "'", false);
        } catch (IOException | UncheckedIOException e) {
            return new ToolResult.Failure("the workspace could not be used: " + e.getMessage(), true);
        }
    }

    /** Runs the action in {@code workspace}; returns the text the model reads. */
    abstract String run(Workspace workspace, Args args, FilesSettings settings) throws IOException;

    private String relative(String file) {
        FilesSettings current = settings;
        if (file == null || current == null) {
            return "?";
        }
        String root = current.root().toString();
        String name = file.startsWith(root) ? file.substring(root.length()) : file;
        int slash = name.indexOf('/', 1);
        return slash > 0 ? name.substring(slash + 1) : name;
    }

    /** The JSON Schema of a parameter object (strict: no other properties). */
    static String schema(String properties, String... required) {
        return "{\"type\":\"object\",\"properties\":{" + properties + "},\"required\":["
                + String.join(
                        ",",
                        java.util.Arrays.stream(required)
                                .map(r -> "\"" + r + "\"")
                                .toList())
                + "],\"additionalProperties\":false}";
    }

    static final String PATH =
            "\"path\":{\"type\":\"string\",\"maxLength\":1024,\"description\":\"A path relative to the "
                    + "workspace, e.g. notes/today.md\"}";
}
