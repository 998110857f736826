package dev.nexus.plugin.knowledgestarter;

import dev.nexus.api.knowledge.KnowledgePack;
import dev.nexus.api.knowledge.LoreEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the plain-text pack format this plugin ships its content in:
 *
 * <pre>
 * # a comment
 * id: personal-finance
 * name: Personal finance essentials
 * version: 1.0.0
 * category: finance
 * topics: budget, saving, debt
 *
 * fact: One self-contained statement.
 *   A line indented by two spaces continues the one above.
 *
 * entry: emergency-fund
 * keys: emergency fund, rainy day fund
 * content: Text inserted when a key appears in the conversation.
 * </pre>
 *
 * <p>Header keys come first; then {@code fact:} lines and {@code entry:} blocks in any order. Every
 * problem names the file and line. Stateless.
 */
final class PackFile {

    private static final List<String> HEADER = List.of("id", "name", "version", "category", "topics");

    private final String file;
    private final Map<String, String> header = new LinkedHashMap<>();
    private final List<String> facts = new ArrayList<>();
    private final List<LoreEntry> entries = new ArrayList<>();
    private String entryId;
    private String entryKeys;
    private String entryContent;
    private int entryLine;

    private PackFile(String file) {
        this.file = file;
    }

    /** Parses {@code text}, the content of {@code file}; throws {@link IllegalArgumentException} naming the line. */
    static KnowledgePack parse(String file, String text) {
        return new PackFile(file).read(text);
    }

    private KnowledgePack read(String text) {
        List<Line> lines = logicalLines(text);
        for (Line line : lines) {
            int colon = line.text.indexOf(':');
            if (colon <= 0) {
                throw problem(line.number, "expected 'key: value', got '" + cap(line.text) + "'");
            }
            String key = line.text.substring(0, colon).strip();
            String value = line.text.substring(colon + 1).strip();
            if (value.isEmpty()) {
                throw problem(line.number, "'" + key + "' has no value");
            }
            accept(line.number, key, value);
        }
        finishEntry();
        for (String required : HEADER) {
            if (!header.containsKey(required)) {
                throw problem(0, "header '" + required + "' is missing");
            }
        }
        try {
            return new KnowledgePack(
                    header.get("id"),
                    header.get("name"),
                    header.get("version"),
                    header.get("category"),
                    split(header.get("topics")),
                    facts,
                    entries);
        } catch (IllegalArgumentException e) {
            throw problem(0, e.getMessage());
        }
    }

    private void accept(int number, String key, String value) {
        boolean bodyStarted = !facts.isEmpty() || !entries.isEmpty() || entryId != null;
        switch (key) {
            case "fact" -> {
                finishEntry();
                facts.add(value);
            }
            case "entry" -> {
                finishEntry();
                entryId = value;
                entryLine = number;
            }
            case "keys", "content" -> {
                if (entryId == null) {
                    throw problem(number, "'" + key + "' outside an entry; start one with 'entry: <id>'");
                }
                if (key.equals("keys")) {
                    entryKeys = once(number, key, entryKeys, value);
                } else {
                    entryContent = once(number, key, entryContent, value);
                }
            }
            default -> {
                if (!HEADER.contains(key)) {
                    throw problem(
                            number,
                            "unknown key '" + cap(key) + "'; expected one of " + HEADER
                                    + ", fact, entry, keys, content");
                }
                if (bodyStarted) {
                    throw problem(number, "header '" + key + "' must come before the first fact or entry");
                }
                if (header.putIfAbsent(key, value) != null) {
                    throw problem(number, "header '" + key + "' is given twice");
                }
            }
        }
    }

    private void finishEntry() {
        if (entryId == null) {
            return;
        }
        if (entryKeys == null || entryContent == null) {
            throw problem(entryLine, "entry '" + entryId + "' needs both 'keys' and 'content'");
        }
        entries.add(LoreEntry.simple(entryId, split(entryKeys), entryContent));
        entryId = null;
        entryKeys = null;
        entryContent = null;
    }

    private String once(int number, String key, String current, String value) {
        if (current != null) {
            throw problem(number, "entry '" + entryId + "' has '" + key + "' twice");
        }
        return value;
    }

    private IllegalArgumentException problem(int line, String what) {
        return new IllegalArgumentException(file + (line > 0 ? ":" + line : "") + ": " + what);
    }

    /** Drops comments and blank lines and joins continuation lines (two leading spaces) to their line. */
    private List<Line> logicalLines(String text) {
        List<Line> lines = new ArrayList<>();
        String[] raw = text.split("\r?\n", -1);
        for (int i = 0; i < raw.length; i++) {
            String line = raw[i];
            if (line.isBlank() || line.stripLeading().startsWith("#")) {
                continue;
            }
            if (line.startsWith("\t")) {
                throw problem(i + 1, "indent continuation lines with two spaces, not a tab");
            }
            if (line.startsWith("  ")) {
                if (lines.isEmpty()) {
                    throw problem(i + 1, "continuation line with nothing to continue");
                }
                Line previous = lines.remove(lines.size() - 1);
                lines.add(new Line(previous.number, previous.text + " " + line.strip()));
            } else {
                lines.add(new Line(i + 1, line.strip()));
            }
        }
        return lines;
    }

    private static List<String> split(String list) {
        return Arrays.stream(list.split(","))
                .map(String::strip)
                .filter(item -> !item.isEmpty())
                .toList();
    }

    private static String cap(String text) {
        return text.length() <= 60 ? text : text.substring(0, 60) + "…";
    }

    private record Line(int number, String text) {}
}
