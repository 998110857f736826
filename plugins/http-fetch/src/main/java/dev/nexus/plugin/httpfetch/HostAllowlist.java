package dev.nexus.plugin.httpfetch;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The hosts {@code http_fetch} may contact: exact names or IP literals ({@code docs.example.com},
 * {@code 127.0.0.1}) and subdomain wildcards ({@code *.example.com}, which matches
 * {@code api.example.com} and {@code a.b.example.com} but not {@code example.com} itself). Names are
 * compared case-insensitively, ignoring a trailing dot. Immutable.
 */
final class HostAllowlist {

    private static final Pattern HOST =
            Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-f:.]+");

    private final List<String> exact;
    private final List<String> suffixes;

    private HostAllowlist(List<String> exact, List<String> suffixes) {
        this.exact = exact;
        this.suffixes = suffixes;
    }

    /**
     * Reads allowlist entries.
     *
     * @throws IllegalArgumentException naming the first entry that is not a host name, an IP literal or
     *     {@code *.} followed by a host name
     */
    static HostAllowlist of(List<String> entries) {
        List<String> exact = new java.util.ArrayList<>();
        List<String> suffixes = new java.util.ArrayList<>();
        for (String raw : entries) {
            String entry = normalise(raw);
            if (entry.startsWith("*.") && isHostName(entry.substring(2))) {
                suffixes.add(entry.substring(1));
            } else if (isHostName(entry) || isIpv6Literal(entry)) {
                exact.add(entry);
            } else {
                throw new IllegalArgumentException("http-fetch config 'allowed-hosts' entry '" + cap(raw)
                        + "' must be a host name (docs.example.com), an IP address (203.0.113.7) or a subdomain"
                        + " wildcard (*.example.com), without scheme, port or path");
            }
        }
        return new HostAllowlist(List.copyOf(exact), List.copyOf(suffixes));
    }

    /** Returns true when {@code host} (as in a URL, IPv6 with or without brackets) is allowed. */
    boolean allows(String host) {
        String name = normalise(host);
        if (exact.contains(name)) {
            return true;
        }
        return suffixes.stream().anyMatch(suffix -> name.endsWith(suffix) && name.length() > suffix.length());
    }

    /** Returns true when {@code host} is listed exactly (not through a wildcard). */
    boolean listsExactly(String host) {
        return exact.contains(normalise(host));
    }

    /** Returns true when no host is allowed at all. */
    boolean isEmpty() {
        return exact.isEmpty() && suffixes.isEmpty();
    }

    /** Lower-cases, strips IPv6 brackets and one trailing dot. */
    static String normalise(String host) {
        String name = host.strip().toLowerCase(Locale.ROOT);
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        if (name.endsWith(".") && name.length() > 1) {
            name = name.substring(0, name.length() - 1);
        }
        return name;
    }

    private static boolean isHostName(String name) {
        return name.length() <= 253 && HOST.matcher(name).matches();
    }

    private static boolean isIpv6Literal(String name) {
        return name.contains(":") && IPV6.matcher(name).matches();
    }

    private static String cap(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "…";
    }
}
