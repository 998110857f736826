package dev.nexus.plugin.files;

import dev.nexus.api.tool.RiskLevel;
import dev.nexus.api.tool.ToolSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.pf4j.Extension;

/** {@code files_delete}: deletes a file, or a directory (with its contents only when recursive). High risk: it cannot be undone. */
@Extension
public final class DeleteFile extends FileTool {

    private static final ToolSpec SPEC = new ToolSpec(
            "files_delete",
            "Deletes a file from the user's workspace directory, or a "
                    + "directory (with everything in it only when recursive is true). Cannot be undone.",
            schema(PATH + ",\"recursive\":{\"type\":\"boolean\"}", "path"),
            RiskLevel.HIGH);

    /** Creates the tool; PF4J calls this. */
    public DeleteFile() {}

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    @Override
    String run(Workspace workspace, Args args, FilesSettings settings) throws IOException {
        args.only(Set.of("path", "recursive"));
        boolean recursive = args.flag("recursive", false);
        Path target = workspace.resolve("path", args.text("path"), true);
        if (target.equals(workspace.dir())) {
            throw new Refusal("the workspace itself cannot be deleted; name a file or directory inside it");
        }
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new java.nio.file.NoSuchFileException(target.toString());
        }
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS) && recursive) {
            List<Path> all;
            try (Stream<Path> walk = Files.walk(target)) {
                all = walk.sorted(Comparator.reverseOrder()).toList();
            }
            for (Path p : all) {
                Files.delete(p); // links are deleted, never followed
            }
            return "deleted " + workspace.name(target) + " and " + (all.size() - 1) + " entries in it";
        }
        Files.delete(target);
        return "deleted " + workspace.name(target);
    }
}
