package dev.nexus.plugin.webhook;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Host names a per-message {@code callbackUrl} may point at: exact names ({@code hooks.example.com})
 * and subdomain wildcards ({@code *.example.com}, which does not match {@code example.com} itself).
 * Case-insensitive, a trailing dot ignored. Immutable.
 */
final class HostPatterns {

    private static final Pattern HOST =
            Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");

    private final List<String> exact;
    private final List<String> suffixes;

    private HostPatterns(List<String> exact, List<String> suffixes) {
        this.exact = exact;
        this.suffixes = suffixes;
    }

    /**
     * Reads the patterns.
     *
     * @throws IllegalArgumentException naming the first entry that is neither a host nor {@code *.host}
     */
    static HostPatterns of(String key, List<String> entries) {
        List<String> exact = new ArrayList<>();
        List<String> suffixes = new ArrayList<>();
        for (String raw : entries) {
            String entry = normalise(raw);
            if (entry.startsWith("*.") && HOST.matcher(entry.substring(2)).matches()) {
                suffixes.add(entry.substring(1));
            } else if (HOST.matcher(entry).matches()) {
                exact.add(entry);
            } else {
                throw new IllegalArgumentException("webhook config '" + key + "' entry '" + WebhookSettings.cap(raw)
                        + "' must be a host name (hooks.example.com) or a subdomain wildcard (*.example.com)");
            }
        }
        return new HostPatterns(List.copyOf(exact), List.copyOf(suffixes));
    }

    /** Returns true when {@code host} matches an entry. */
    boolean allows(String host) {
        if (host == null) {
            return false;
        }
        String name = normalise(host);
        return exact.contains(name)
                || suffixes.stream().anyMatch(suffix -> name.endsWith(suffix) && name.length() > suffix.length());
    }

    /** Returns true when nothing is allowed. */
    boolean isEmpty() {
        return exact.isEmpty() && suffixes.isEmpty();
    }

    private static String normalise(String host) {
        String name = host.strip().toLowerCase(Locale.ROOT);
        return name.endsWith(".") && name.length() > 1 ? name.substring(0, name.length() - 1) : name;
    }
}
