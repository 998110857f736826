package dev.nexus.host.config;

import dev.nexus.host.json.ConfigBinding;
import dev.nexus.host.json.YamlTree;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The host's configuration: one YAML file plus environment overrides, bound section by section into
 * typed records. The only class that reads configuration files and environment variables.
 *
 * <p>Keys are kebab-case, nested by feature ({@code server.max-body-bytes}). Every leaf key of a
 * section can be overridden by {@code NEXUS_<SECTION>_<KEY>} (upper case, dashes and dots as
 * underscores), e.g. {@code NEXUS_SERVER_MAX_BODY_BYTES}; list values in the environment are
 * comma-separated. Short aliases: {@code NEXUS_PORT} (server.port), {@code NEXUS_DATA_DIR}
 * (server.data-dir). A record states its defaults once, in its compact constructor (an absent key
 * arrives as null). Binding problems are collected; {@link #verify()} reports them all together.
 *
 * <p>Not thread-safe while sections are being bound (start-up); the bound records are immutable.
 */
public final class Settings {

    private static final Map<String, String> ALIASES = Map.of(
            "NEXUS_PORT", "server.port",
            "NEXUS_DATA_DIR", "server.data-dir",
            "NEXUS_PERSONALITIES_DIR", "personalities.directory");

    /** The largest configuration file read, in characters. */
    static final int MAX_FILE_CHARS = 4 * 1024 * 1024;

    /** The file's tree, mutable (aliases are applied to it); each section is copied before binding. */
    private final Map<String, Object> root;

    private final Map<String, String> env;
    private final String origin;
    private final List<String> problems = new ArrayList<>();

    private Settings(Map<String, Object> root, Map<String, String> env, String origin) {
        this.root = root;
        this.env = Map.copyOf(env);
        this.origin = origin;
        applyAliases();
    }

    /**
     * Loads the configuration named by {@code NEXUS_CONFIG}, else {@code nexus.yaml} in the working
     * directory if present, else none (all defaults), with {@code env} as the environment. The file is
     * read by the host's one YAML reader ({@link YamlTree}: aliases, depth, size and duplicate keys
     * limited, like every other document).
     *
     * @throws ConfigException if the named file is missing or is not valid YAML
     */
    public static Settings load(Map<String, String> env) {
        String named = env.get("NEXUS_CONFIG");
        Path file = named != null && !named.isBlank() ? Path.of(named) : Path.of("nexus.yaml");
        if (named != null && !named.isBlank() && !Files.isRegularFile(file)) {
            throw new ConfigException(List.of("NEXUS_CONFIG names " + file.toAbsolutePath()
                    + " but there is no such file; create it or unset NEXUS_CONFIG"));
        }
        if (!Files.isRegularFile(file)) {
            return new Settings(new LinkedHashMap<>(), env, "defaults and environment");
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(List.of(file + ": cannot be read as UTF-8 text: " + e.getMessage()));
        }
        Object tree;
        try {
            tree = YamlTree.read(text, MAX_FILE_CHARS);
        } catch (YamlTree.SyntaxError e) {
            throw new ConfigException(List.of(file + ": not valid YAML: " + e.getMessage()));
        }
        if (tree == null) {
            return new Settings(new LinkedHashMap<>(), env, file.toString());
        }
        if (!(tree instanceof Map<?, ?> map)) {
            throw new ConfigException(
                    List.of(file + ": the top level must be a mapping of sections, got " + kind(tree)));
        }
        return new Settings(mutable(map), env, file.toString());
    }

    /** Returns settings from a YAML text and an environment; for tests and tools. */
    public static Settings of(String yaml, Map<String, String> env) {
        try {
            Object tree = yaml.isBlank() ? null : YamlTree.read(yaml, MAX_FILE_CHARS);
            Map<String, Object> root = tree instanceof Map<?, ?> map ? mutable(map) : new LinkedHashMap<>();
            return new Settings(root, env, "inline");
        } catch (YamlTree.SyntaxError e) {
            throw new ConfigException(List.of("inline YAML: " + e.getMessage()));
        }
    }

    /** Returns where the configuration came from, for the start-up log. */
    public String origin() {
        return origin;
    }

    /**
     * Binds section {@code name} into {@code type}. On a problem, records it (see {@link #verify()})
     * and returns the defaults so start-up can go on collecting problems.
     */
    public <T extends Record> T section(String name, Class<T> type) {
        Object value = root.get(name);
        Map<String, Object> node = value instanceof Map<?, ?> map ? mutable(map) : new LinkedHashMap<>();
        if (value != null && !(value instanceof Map<?, ?>)) {
            problems.add(name + ": must be a mapping of keys, got " + kind(value));
        }
        applyEnvironment(node, type, "NEXUS_" + envName(name), name);
        dropUnknownKeys(node, type, name);
        try {
            return ConfigBinding.bind(node, type);
        } catch (ConfigBinding.Problem e) {
            problems.add(name + (e.path().isEmpty() ? "" : "." + e.path()) + ": " + e.getMessage());
            try {
                return ConfigBinding.bind(Map.of(), type);
            } catch (ConfigBinding.Problem impossible) {
                throw new IllegalStateException(type.getName() + " has no usable defaults", impossible);
            }
        }
    }

    /** Returns the raw value of a {@code NEXUS_*} environment variable, for secrets that never go into files. */
    public Optional<String> secret(String variable) {
        if (!variable.startsWith("NEXUS_")) {
            throw new IllegalArgumentException("secrets are read from NEXUS_* variables only, not " + variable);
        }
        return Optional.ofNullable(env.get(variable)).filter(v -> !v.isBlank());
    }

    /** Returns all environment variables starting with {@code prefix}, e.g. a plugin's secrets. */
    public Map<String, String> secrets(String prefix) {
        return env.entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix) && e.getKey().startsWith("NEXUS_"))
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /**
     * Reports a problem found by a feature while validating its bound section (e.g. a directory that
     * cannot be created), so it is listed with the rest.
     */
    public void problem(String keyAndMessage) {
        problems.add(keyAndMessage);
    }

    /**
     * Throws one {@link ConfigException} listing every problem found so far, or returns quietly.
     * Unknown top-level sections are problems too.
     */
    public void verify(List<String> knownSections) {
        for (String section : root.keySet()) {
            if (!knownSections.contains(section)) {
                problems.add(section + ": unknown section; known sections are "
                        + knownSections.stream().sorted().toList());
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    /** Turns the environment variable name for a key path, e.g. {@code server.max-body-bytes}. */
    public static String envName(String keyPath) {
        return keyPath.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
    }

    private void applyAliases() {
        ALIASES.forEach((variable, path) -> {
            String value = env.get(variable);
            if (value != null && !value.isBlank()) {
                String[] parts = path.split("\\.");
                child(root, parts[0], true).put(parts[1], value);
            }
        });
    }

    /** The mapping at {@code key}; when there is none, a new one put there ({@code create}) or a detached one. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> child(Map<String, Object> node, String key, boolean create) {
        if (node.get(key) instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        Map<String, Object> created = new LinkedHashMap<>();
        if (create) {
            node.put(key, created);
        }
        return created;
    }

    private void applyEnvironment(Map<String, Object> node, Class<?> type, String prefix, String path) {
        if (!type.isRecord()) {
            return;
        }
        for (RecordComponent component : type.getRecordComponents()) {
            String key = ConfigBinding.key(component.getName());
            String variable = prefix + "_" + envName(key);
            Class<?> componentType = component.getType();
            if (componentType.isRecord()) {
                boolean present = node.get(key) instanceof Map<?, ?>;
                Map<String, Object> target = child(node, key, false);
                applyEnvironment(target, componentType, variable, path + "." + key);
                if (!present && !target.isEmpty()) {
                    node.put(key, target);
                }
                continue;
            }
            String value = env.get(variable);
            if (value == null) {
                continue;
            }
            if (List.class.isAssignableFrom(componentType)) {
                List<Object> items = new ArrayList<>();
                for (String item : value.split(",")) {
                    if (!item.isBlank()) {
                        items.add(item.strip());
                    }
                }
                node.put(key, items);
            } else if (Map.class.isAssignableFrom(componentType) || isMapOptional(component.getGenericType())) {
                problems.add(path + "." + key + ": cannot be set from " + variable + "; set it in the YAML file");
            } else {
                node.put(key, value);
            }
        }
    }

    /** Reports every unknown key (binding would stop at the first problem) and removes it before binding. */
    private void dropUnknownKeys(Map<String, Object> node, Class<?> type, String path) {
        if (!type.isRecord()) {
            return;
        }
        Map<String, RecordComponent> components = new LinkedHashMap<>();
        for (RecordComponent component : type.getRecordComponents()) {
            components.put(ConfigBinding.key(component.getName()), component);
        }
        for (String key : new ArrayList<>(node.keySet())) {
            RecordComponent component = components.get(key);
            if (component == null) {
                problems.add(path + "." + key + ": unknown key; known keys are "
                        + components.keySet().stream().sorted().toList());
                node.remove(key);
            } else if (component.getType().isRecord() && node.get(key) instanceof Map<?, ?>) {
                dropUnknownKeys(child(node, key, false), component.getType(), path + "." + key);
            }
        }
    }

    /** A deep, mutable copy of a tree read by {@link YamlTree} (whose maps and lists are unmodifiable). */
    private static Map<String, Object> mutable(Map<?, ?> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((key, value) -> copy.put(String.valueOf(key), mutableValue(value)));
        return copy;
    }

    private static Object mutableValue(Object value) {
        if (value instanceof Map<?, ?> map) {
            return mutable(map);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(item -> copy.add(mutableValue(item)));
            return copy;
        }
        return value;
    }

    /** What a YAML value is, in words, for messages. */
    private static String kind(Object value) {
        if (value instanceof List<?>) {
            return "a list";
        }
        if (value instanceof Map<?, ?>) {
            return "a mapping";
        }
        if (value instanceof String) {
            return "text";
        }
        if (value instanceof Number) {
            return "a number";
        }
        if (value instanceof Boolean) {
            return "true or false";
        }
        return "an empty value";
    }

    private static boolean isMapOptional(Type type) {
        return type instanceof ParameterizedType p
                && p.getRawType() == Optional.class
                && p.getActualTypeArguments()[0] instanceof Class<?> c
                && Map.class.isAssignableFrom(c);
    }
}
