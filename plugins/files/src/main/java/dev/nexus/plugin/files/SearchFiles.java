package dev.nexus.plugin.files;

import dev.nexus.api.tool.RiskLevel;
import dev.nexus.api.tool.ToolSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.pf4j.Extension;

/** {@code files_search}: lines containing a text (case-insensitive) in the workspace's files, and file names that contain it. */
@Extension
public final class SearchFiles extends FileTool {

    private static final ToolSpec SPEC = new ToolSpec(
            "files_search",
            "Searches the user's workspace files for a text (case-"
                    + "insensitive): matching file names and lines, as path:line: text.",
            schema("\"query\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":200}," + PATH, "query"),
            RiskLevel.LOW);

    /** Creates the tool; PF4J calls this. */
    public SearchFiles() {}

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    @Override
    String run(Workspace workspace, Args args, FilesSettings settings) throws IOException {
        args.only(Set.of("query", "path"));
        String query = args.text("query").toLowerCase(Locale.ROOT);
        if (query.isBlank() || query.length() > 200) {
            throw new Refusal("'query' must be 1-200 characters of text to look for");
        }
        Path dir = workspace.resolve("path", args.optionalText("path").orElse(""));
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .sorted()
                    .toList();
        }
        StringBuilder out = new StringBuilder();
        int hits = 0;
        for (Path file : files) {
            if (hits >= settings.maxResults()) {
                break;
            }
            String name = workspace.name(file);
            if (name.toLowerCase(Locale.ROOT).contains(query)) {
                out.append(name).append(" (name)\n");
                hits++;
            }
            if (Files.size(file) > settings.maxFileBytes()) {
                continue;
            }
            List<String> lines = List.of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\\R", -1));
            for (int i = 0; i < lines.size() && hits < settings.maxResults(); i++) {
                if (lines.get(i).toLowerCase(Locale.ROOT).contains(query)) {
                    String line = lines.get(i).strip();
                    out.append(name)
                            .append(':')
                            .append(i + 1)
                            .append(": ")
                            .append(line.length() > 200 ? line.substring(0, 200) + "…" : line)
                            .append('\n');
                    hits++;
                }
            }
        }
        return hits == 0 ? "no match for '" + args.text("query") + "'" : out.toString();
    }
}
