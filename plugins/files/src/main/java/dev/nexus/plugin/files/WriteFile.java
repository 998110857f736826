package dev.nexus.plugin.files;

import dev.nexus.api.tool.RiskLevel;
import dev.nexus.api.tool.ToolSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;
import org.pf4j.Extension;

/** {@code files_write}: creates or replaces a text file of the workspace (written to a temporary file, then moved in place). */
@Extension
public final class WriteFile extends FileTool {

    private static final ToolSpec SPEC = new ToolSpec(
            "files_write",
            "Writes a text file in the user's workspace directory, "
                    + "creating directories as needed; replaces an existing file unless overwrite is false.",
            schema(PATH + ",\"content\":{\"type\":\"string\"},\"overwrite\":{\"type\":\"boolean\"}", "path", "content"),
            RiskLevel.MEDIUM);

    /** Creates the tool; PF4J calls this. */
    public WriteFile() {}

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    @Override
    String run(Workspace workspace, Args args, FilesSettings settings) throws IOException {
        args.only(Set.of("path", "content", "overwrite"));
        boolean overwrite = args.flag("overwrite", true);
        Path file = workspace.resolve("path", args.text("path"));
        byte[] content = args.text("content").getBytes(StandardCharsets.UTF_8);
        if (file.equals(workspace.dir()) || Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new Refusal("'" + workspace.name(file) + "' is a directory; name a file such as \"notes/today.md\"");
        }
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !overwrite) {
            throw new FileAlreadyExistsException(file.toString());
        }
        workspace.checkWrite(file, content.length);
        Files.createDirectories(file.getParent());
        Path temporary = Files.createTempFile(file.getParent(), ".write-", ".tmp");
        try {
            Files.write(temporary, content);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
        return "wrote " + workspace.name(file) + " (" + content.length + " bytes)";
    }
}
