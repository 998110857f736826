package dev.nexus.plugin.files;

import dev.nexus.api.tool.RiskLevel;
import dev.nexus.api.tool.ToolSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Set;
import org.pf4j.Extension;

/** {@code files_read}: a text file of the workspace. */
@Extension
public final class ReadFile extends FileTool {

    private static final ToolSpec SPEC = new ToolSpec(
            "files_read",
            "Reads a text file from the user's workspace directory.",
            schema(PATH, "path"),
            RiskLevel.LOW);

    /** Creates the tool; PF4J calls this. */
    public ReadFile() {}

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    @Override
    String run(Workspace workspace, Args args, FilesSettings settings) throws IOException {
        args.only(Set.of("path"));
        Path file = workspace.resolve("path", args.text("path"));
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new java.nio.file.NoSuchFileException(file.toString());
        }
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new Refusal("'" + workspace.name(file) + "' is not a file in the workspace"
                    + (Files.isDirectory(file) ? "; it is a directory: use files_list" : ""));
        }
        long size = Files.size(file);
        if (size > settings.maxFileBytes()) {
            throw new Refusal("'" + workspace.name(file) + "' is " + size + " bytes; files are read up to "
                    + settings.maxFileBytes() + " bytes (plugins.config.files.max-file-bytes)");
        }
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }
}
