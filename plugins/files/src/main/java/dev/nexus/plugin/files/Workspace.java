package dev.nexus.plugin.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * One owner's workspace directory and the checks every path goes through: relative paths only, no
 * {@code ..}, no control characters, and, after resolving symbolic links, still inside the workspace
 * (a link that points out is refused, never followed). Sizes and counts are checked against the
 * settings before anything is written. Immutable; the file system is the shared state.
 */
final class Workspace {

    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final int MAX_PATH = 1024;

    private final Path dir;
    private final FilesSettings settings;

    private Workspace(Path dir, FilesSettings settings) {
        this.dir = dir;
        this.settings = settings;
    }

    /** Opens (creating when needed) the workspace of {@code owner}. */
    static Workspace of(FilesSettings settings, String owner) {
        if (owner == null || owner.isBlank()) {
            throw new Refusal("the call names no user, so there is no workspace to use");
        }
        Path dir = settings.root().resolve(directoryName(owner));
        try {
            Files.createDirectories(dir);
            return new Workspace(dir.toRealPath(), settings);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the workspace " + dir + ": " + e.getMessage(), e);
        }
    }

    /** A directory name for an owner id: the id itself when it is plain, else a cleaned form plus a short hash. */
    static String directoryName(String owner) {
        if (SAFE_NAME.matcher(owner).matches() && !owner.equals(".") && !owner.equals("..")) {
            return owner;
        }
        String clean = owner.replaceAll("[^A-Za-z0-9._-]", "_");
        clean = clean.substring(0, Math.min(40, clean.length())).replaceAll("^\\.+", "_");
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(owner.getBytes(StandardCharsets.UTF_8));
            return clean + "-" + HexFormat.of().formatHex(hash, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    Path dir() {
        return dir;
    }

    /** Returns the workspace-relative name of {@code path}, with forward slashes. */
    String name(Path path) {
        String relative = dir.relativize(path).toString().replace('\\', '/');
        return relative.isEmpty() ? "." : relative;
    }

    /**
     * Resolves a workspace-relative path the caller named; the result is inside the workspace, and so
     * is every existing part of it once symbolic links are resolved.
     *
     * @param field the argument that named it, for messages
     */
    Path resolve(String field, String relative) {
        return resolve(field, relative, false);
    }

    /**
     * As {@link #resolve(String, String)}; with {@code linkItself} a final part that is a symbolic
     * link is allowed and names the link (to delete it), never what it points to.
     */
    Path resolve(String field, String relative, boolean linkItself) {
        if (relative.length() > MAX_PATH) {
            throw new Refusal("'" + field + "' is " + relative.length() + " characters; paths are at most " + MAX_PATH);
        }
        for (int i = 0; i < relative.length(); i++) {
            char c = relative.charAt(i);
            if (Character.isISOControl(c) || Character.isSurrogate(c) || c == '\\') {
                throw new Refusal(
                        "'" + field + "' contains a control character, a backslash or broken Unicode; use a plain "
                                + "relative path such as \"notes/today.md\"");
            }
        }
        if (relative.startsWith("/") || relative.startsWith("~") || relative.matches("^[A-Za-z]:.*")) {
            throw new Refusal("'" + field + "' must be relative to the workspace, such as \"notes/today.md\", got '"
                    + Args.cap(relative) + "'");
        }
        for (String part : relative.split("/")) {
            if (part.equals("..")) {
                throw new Refusal("'" + field + "' may not contain '..': paths stay inside the workspace, got '"
                        + Args.cap(relative) + "'");
            }
        }
        Path path = dir.resolve(relative.isEmpty() ? "." : relative).normalize();
        if (!path.startsWith(dir)) {
            throw new Refusal("'" + field + "' points outside the workspace: '" + Args.cap(relative) + "'");
        }
        // Walk down from the workspace: any existing part that is a symbolic link is refused, never followed.
        Path current = dir;
        for (Path part : dir.relativize(path)) {
            current = current.resolve(part);
            if (Files.isSymbolicLink(current)) {
                if (linkItself && current.equals(path)) {
                    return path;
                }
                throw new Refusal("'" + field + "' goes through a symbolic link ('" + name(current)
                        + "'); links are not followed, so the workspace cannot reach outside itself");
            }
            if (!Files.exists(current, LinkOption.NOFOLLOW_LINKS)) {
                break;
            }
        }
        try {
            // Belt and braces: what exists of the path, fully resolved, is still inside the workspace.
            Path existing = path;
            while (!Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
                existing = existing.getParent();
            }
            if (!existing.toRealPath().startsWith(dir)) {
                throw new Refusal("'" + field + "' resolves outside the workspace; links are not followed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return path;
    }

    /**
     * Checks that writing {@code bytes} to {@code target} keeps the workspace within its limits.
     */
    void checkWrite(Path target, long bytes) {
        if (bytes > settings.maxFileBytes()) {
            throw new Refusal("the content is " + bytes + " bytes; files are at most " + settings.maxFileBytes()
                    + " bytes (plugins.config.files.max-file-bytes)");
        }
        long[] usage = usage();
        boolean exists = Files.exists(target, LinkOption.NOFOLLOW_LINKS);
        long replaced = 0;
        try {
            replaced = exists ? Files.size(target) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!exists && usage[0] + 1 > settings.maxFiles()) {
            throw new Refusal("the workspace already holds " + usage[0] + " files, the most it may hold "
                    + "(plugins.config.files.max-files); delete some first");
        }
        if (usage[1] - replaced + bytes > settings.maxWorkspaceBytes()) {
            throw new Refusal("the workspace would hold " + (usage[1] - replaced + bytes)
                    + " bytes, more than its limit of " + settings.maxWorkspaceBytes()
                    + " (plugins.config.files.max-workspace-bytes); delete some files first");
        }
    }

    /** Returns {files, bytes} of the workspace (links not followed). */
    long[] usage() {
        long[] usage = {0, 0};
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    usage[0]++;
                    usage[1] += attrs.size();
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return usage;
    }
}
