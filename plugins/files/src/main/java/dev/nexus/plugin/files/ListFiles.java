package dev.nexus.plugin.files;

import dev.nexus.api.tool.RiskLevel;
import dev.nexus.api.tool.ToolSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.pf4j.Extension;

/** {@code files_list}: the entries of a workspace directory, optionally recursive. */
@Extension
public final class ListFiles extends FileTool {

    private static final ToolSpec SPEC = new ToolSpec(
            "files_list",
            "Lists the files and directories in the user's workspace "
                    + "directory (or a sub-directory of it), with sizes.",
            schema(PATH + ",\"recursive\":{\"type\":\"boolean\"}"),
            RiskLevel.LOW);

    /** Creates the tool; PF4J calls this. */
    public ListFiles() {}

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    @Override
    String run(Workspace workspace, Args args, FilesSettings settings) throws IOException {
        args.only(Set.of("path", "recursive"));
        boolean recursive = args.flag("recursive", false);
        Path dir = workspace.resolve("path", args.optionalText("path").orElse(""));
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new Refusal("'" + workspace.name(dir) + "' is not a directory in the workspace");
        }
        List<Path> entries;
        try (Stream<Path> found = recursive ? Files.walk(dir).skip(1) : Files.list(dir)) {
            entries = found.sorted().limit(settings.maxResults() + 1L).toList();
        }
        if (entries.isEmpty()) {
            return "(empty) " + workspace.name(dir);
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(entries.size(), settings.maxResults()); i++) {
            Path entry = entries.get(i);
            if (Files.isSymbolicLink(entry)) {
                out.append(workspace.name(entry)).append(" -> (symbolic link, not followed)\n");
            } else if (Files.isDirectory(entry)) {
                out.append(workspace.name(entry)).append("/\n");
            } else {
                out.append(workspace.name(entry))
                        .append("  ")
                        .append(Files.size(entry))
                        .append(" bytes\n");
            }
        }
        if (entries.size() > settings.maxResults()) {
            out.append("… more entries not shown (at most ")
                    .append(settings.maxResults())
                    .append(")\n");
        }
        return out.toString();
    }
}
