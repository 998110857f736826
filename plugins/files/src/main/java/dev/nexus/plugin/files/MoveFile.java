package dev.nexus.plugin.files;

import dev.nexus.api.tool.RiskLevel;
import dev.nexus.api.tool.ToolSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;
import org.pf4j.Extension;

/** {@code files_move}: moves or renames a file or directory within the workspace. */
@Extension
public final class MoveFile extends FileTool {

    private static final ToolSpec SPEC = new ToolSpec(
            "files_move",
            "Moves or renames a file or directory within the user's "
                    + "workspace directory; refuses to replace an existing target unless overwrite is true.",
            schema(
                    "\"from\":{\"type\":\"string\",\"maxLength\":1024},\"to\":{\"type\":\"string\",\"maxLength\":1024},"
                            + "\"overwrite\":{\"type\":\"boolean\"}",
                    "from",
                    "to"),
            RiskLevel.MEDIUM);

    /** Creates the tool; PF4J calls this. */
    public MoveFile() {}

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    @Override
    String run(Workspace workspace, Args args, FilesSettings settings) throws IOException {
        args.only(Set.of("from", "to", "overwrite"));
        boolean overwrite = args.flag("overwrite", false);
        Path from = workspace.resolve("from", args.text("from"));
        Path to = workspace.resolve("to", args.text("to"));
        if (from.equals(workspace.dir()) || to.equals(workspace.dir())) {
            throw new Refusal("the workspace itself cannot be moved or replaced; name a file or directory inside it");
        }
        if (!Files.exists(from, LinkOption.NOFOLLOW_LINKS)) {
            throw new java.nio.file.NoSuchFileException(from.toString());
        }
        if (to.startsWith(from)) {
            throw new Refusal("'" + workspace.name(to) + "' is inside '" + workspace.name(from)
                    + "'; a directory cannot move into itself");
        }
        Files.createDirectories(to.getParent());
        if (overwrite) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        } else {
            Files.move(from, to);
        }
        return "moved " + workspace.name(from) + " to " + workspace.name(to);
    }
}
