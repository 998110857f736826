package dev.nexus.plugin.email.mail;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Message ids ({@code <left@right>}) found in header text. Only well-formed ids are kept: printable
 * ASCII without spaces, angle brackets or quotes, at most 250 characters, so an id can be written back
 * into a header without ending it early. Thread-safe.
 */
public final class Ids {

    private static final Pattern ID = Pattern.compile("<([!#-'*-;=?-Z^-~]{1,125}@[!#-'*-;=?-Z^-~]{1,123})>");

    private Ids() {}

    /** Returns every well-formed id in {@code header}, in order. */
    public static List<String> all(String header) {
        List<String> ids = new ArrayList<>();
        if (header == null) {
            return ids;
        }
        Matcher matcher = ID.matcher(header);
        while (matcher.find()) {
            ids.add("<" + matcher.group(1) + ">");
        }
        return ids;
    }

    /** Returns the first well-formed id in {@code header}. */
    public static Optional<String> first(String header) {
        List<String> ids = all(header);
        return ids.isEmpty() ? Optional.empty() : Optional.of(ids.get(0));
    }

    /** True when {@code id} is exactly one well-formed id. */
    public static boolean valid(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** Keeps the first id and the latest ones, at most {@code max} in all (RFC 5322 suggests trimming the middle). */
    public static List<String> trimmed(List<String> ids, int max) {
        if (ids.size() <= max) {
            return List.copyOf(ids);
        }
        List<String> kept = new ArrayList<>();
        kept.add(ids.get(0));
        kept.addAll(ids.subList(ids.size() - (max - 1), ids.size()));
        return kept;
    }
}
