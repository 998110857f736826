package dev.nexus.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a plugin's configuration section into its settings and collects <b>every</b> problem on the
 * way, so an operator fixes a section in one round instead of one restart per mistake. Each read
 * returns a usable value even when the section is wrong (the fallback, or empty text), the problem is
 * recorded, and {@link #check()} at the end throws one {@link IllegalArgumentException} naming each
 * key and the fix; a plugin's {@code start} lets it through, and the host shows it as the plugin's
 * error.
 *
 * <pre>{@code
 * ConfigReader read = new ConfigReader("weather", context.config());
 * String personality = read.required("personality", "the id of the personality that answers, e.g. zen-engineer");
 * Duration timeout = Duration.ofMillis(read.integer("timeout-ms", 10_000, 100, 120_000));
 * read.check(); // "weather config 'personality' is required: …" (and any other problem, in order)
 * }</pre>
 *
 * <p>Messages start with {@code "<name> config '<key>'"}; a single problem is reported as it is, several
 * as {@code "<n> problems: <first>; <second>; …"}. Values are echoed shortened to {@value #ECHO} characters
 * (never read a secret through this class: its value could be echoed). Not thread-safe: one reader per
 * {@code start}.
 */
@Experimental
public final class ConfigReader {

    /** The most characters of a wrong value a message repeats. */
    public static final int ECHO = 100;

    private final String name;
    private final PluginConfig config;
    private final List<String> problems = new ArrayList<>();

    /**
     * @param name the name messages start with, normally the plugin id ({@code "discord config 'x' …"})
     * @param config the section read
     */
    public ConfigReader(String name, PluginConfig config) {
        this.name = Objects.requireNonNull(name, "name");
        this.config = Objects.requireNonNull(config, "config");
    }

    /** Returns the section read, for values this class has no reader for. */
    public PluginConfig config() {
        return config;
    }

    /**
     * Returns the text at {@code key}, stripped. When it is absent or blank, records
     * {@code "<name> config '<key>' is required: <fix>"} and returns the empty text.
     *
     * @param fix what the value is and an example, e.g. {@code "the id of the personality that answers,
     *     e.g. plugins.config.weather.personality: zen-engineer"}
     */
    public String required(String key, String fix) {
        Optional<String> value = text(key);
        if (value.isEmpty()) {
            problem(key, "is required: " + fix);
            return "";
        }
        return value.get();
    }

    /** Returns the text at {@code key}, stripped; empty when absent or blank. */
    public Optional<String> text(String key) {
        try {
            return config.string(key).map(String::strip).filter(v -> !v.isEmpty());
        } catch (IllegalArgumentException e) {
            problem(e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Returns the integer at {@code key}, or {@code fallback} when absent. Records
     * {@code "… must be between <min> and <max>, got <value>"} when out of range, or the configuration's own
     * message when the value is not an integer, and then returns {@code fallback}.
     */
    public long integer(String key, long fallback, long min, long max) {
        long value;
        try {
            value = config.integer(key, fallback);
        } catch (IllegalArgumentException e) {
            problem(e.getMessage());
            return fallback;
        }
        if (value < min || value > max) {
            problem(key, "must be between " + min + " and " + max + ", got " + value);
            return fallback;
        }
        return value;
    }

    /** Returns the flag at {@code key}, or {@code fallback} when absent or not a boolean (then recorded). */
    public boolean flag(String key, boolean fallback) {
        try {
            return config.flag(key, fallback);
        } catch (IllegalArgumentException e) {
            problem(e.getMessage());
            return fallback;
        }
    }

    /**
     * Returns the number from 0 to 1 at {@code key} (a probability, a share), or {@code fallback} when
     * absent; records {@code "… must be a number from 0 to 1, got '<value>'"} and returns {@code fallback}
     * otherwise.
     */
    public double fraction(String key, double fallback) {
        Optional<String> text = text(key);
        if (text.isEmpty()) {
            return fallback;
        }
        try {
            double value = Double.parseDouble(text.get());
            if (value >= 0 && value <= 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            // recorded below
        }
        problem(key, "must be a number from 0 to 1, got '" + echo(text.get()) + "'");
        return fallback;
    }

    /**
     * Returns the constant of {@code type} named at {@code key} in any letter case, or {@code fallback} when
     * absent; records {@code "… must be a, b or c, got '<value>'"} (the constants in lower case) and returns
     * {@code fallback} otherwise.
     */
    public <E extends Enum<E>> E choice(String key, Class<E> type, E fallback) {
        Optional<String> text = text(key);
        if (text.isEmpty()) {
            return fallback;
        }
        Optional<E> value = constant(type, text.get());
        if (value.isEmpty()) {
            problem(key, "must be " + names(type) + ", got '" + echo(text.get().toLowerCase(Locale.ROOT)) + "'");
            return fallback;
        }
        return value.get();
    }

    /**
     * Returns the constants of {@code type} listed at {@code key} (a list, or one text), in any letter case,
     * or {@code fallback} when absent or empty; records {@code "… entry '<value>' must be a, b or c"} for
     * each entry that names none.
     */
    public <E extends Enum<E>> Set<E> choices(String key, Class<E> type, Set<E> fallback) {
        List<String> listed;
        try {
            listed = config.strings(key);
        } catch (IllegalArgumentException e) {
            problem(e.getMessage());
            return Set.copyOf(fallback);
        }
        if (listed.isEmpty()) {
            return Set.copyOf(fallback);
        }
        Set<E> chosen = EnumSet.noneOf(type);
        for (String entry : listed) {
            constant(type, entry)
                    .ifPresentOrElse(
                            chosen::add, () -> problem(key, "entry '" + echo(entry) + "' must be " + names(type)));
        }
        return Set.copyOf(chosen);
    }

    /** Records a problem with {@code key}: {@code "<name> config '<key>' <what>"}. */
    public void problem(String key, String what) {
        problem(name + " config '" + key + "' " + what);
    }

    /** Records a problem found by the plugin's own check (a pattern, two keys that contradict), as written. */
    public void problem(String message) {
        problems.add(Objects.requireNonNull(message, "message"));
    }

    /** Returns the problems recorded so far, in order. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /**
     * Throws when a problem was recorded.
     *
     * @throws IllegalArgumentException with the one problem as it is, or {@code "<n> problems: <first>;
     *     <second>; …"}
     */
    public void check() {
        if (problems.size() == 1) {
            throw new IllegalArgumentException(problems.get(0));
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(problems.size() + " problems: " + String.join("; ", problems));
        }
    }

    /** Returns {@code text} shortened to {@value #ECHO} characters and an ellipsis, for messages. */
    public static String echo(String text) {
        return text.length() <= ECHO ? text : text.substring(0, ECHO) + "…";
    }

    private static <E extends Enum<E>> Optional<E> constant(Class<E> type, String text) {
        String wanted = text.strip();
        return Arrays.stream(type.getEnumConstants())
                .filter(c -> c.name().equalsIgnoreCase(wanted))
                .findFirst();
    }

    /** "a, b or c" from the constants' names in lower case. */
    private static String names(Class<? extends Enum<?>> type) {
        List<String> names = Arrays.stream(type.getEnumConstants())
                .map(c -> c.name().toLowerCase(Locale.ROOT))
                .toList();
        return names.size() == 1
                ? names.get(0)
                : String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }
}
