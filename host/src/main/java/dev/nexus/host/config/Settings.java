package dev.nexus.host.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
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

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .registerModule(new Jdk8Module())
            .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private final ObjectNode root;
    private final Map<String, String> env;
    private final String origin;
    private final List<String> problems = new ArrayList<>();

    private Settings(ObjectNode root, Map<String, String> env, String origin) {
        this.root = root;
        this.env = Map.copyOf(env);
        this.origin = origin;
        applyAliases();
    }

    /**
     * Loads the configuration named by {@code NEXUS_CONFIG}, else {@code nexus.yaml} in the working
     * directory if present, else none (all defaults), with {@code env} as the environment.
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
            return new Settings(JsonNodeFactory.instance.objectNode(), env, "defaults and environment");
        }
        try {
            JsonNode tree = YAML.readTree(file.toFile());
            if (tree == null || tree.isMissingNode() || tree.isNull()) {
                return new Settings(JsonNodeFactory.instance.objectNode(), env, file.toString());
            }
            if (!tree.isObject()) {
                throw new ConfigException(
                        List.of(file + ": the top level must be a mapping of sections, got " + tree.getNodeType()));
            }
            return new Settings((ObjectNode) tree, env, file.toString());
        } catch (IOException e) {
            throw new ConfigException(List.of(file + ": not valid YAML: "
                    + e.getMessage().lines().findFirst().orElse("")));
        }
    }

    /** Returns settings from a YAML text and an environment; for tests and tools. */
    public static Settings of(String yaml, Map<String, String> env) {
        try {
            JsonNode tree = yaml.isBlank() ? null : YAML.readTree(yaml);
            ObjectNode root = tree instanceof ObjectNode object ? object : JsonNodeFactory.instance.objectNode();
            return new Settings(root, env, "inline");
        } catch (IOException e) {
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
        ObjectNode node = root.has(name) && root.get(name).isObject()
                ? ((ObjectNode) root.get(name)).deepCopy()
                : JsonNodeFactory.instance.objectNode();
        if (root.has(name) && !root.get(name).isObject() && !root.get(name).isNull()) {
            problems.add(
                    name + ": must be a mapping of keys, got " + root.get(name).getNodeType());
        }
        applyEnvironment(node, type, "NEXUS_" + envName(name), name);
        dropUnknownKeys(node, type, name);
        try {
            return YAML.treeToValue(node, type);
        } catch (IOException e) {
            problems.add(describe(name, e));
            try {
                return YAML.treeToValue(JsonNodeFactory.instance.objectNode(), type);
            } catch (IOException impossible) {
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
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String section = it.next();
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
                ObjectNode section = root.has(parts[0]) && root.get(parts[0]).isObject()
                        ? (ObjectNode) root.get(parts[0])
                        : root.putObject(parts[0]);
                section.put(parts[1], value);
            }
        });
    }

    private void applyEnvironment(ObjectNode node, Class<?> type, String prefix, String path) {
        if (!type.isRecord()) {
            return;
        }
        for (RecordComponent component : type.getRecordComponents()) {
            String key = PropertyNamingStrategies.KebabCaseStrategy.INSTANCE.translate(component.getName());
            String variable = prefix + "_" + envName(key);
            Class<?> componentType = component.getType();
            if (componentType.isRecord()) {
                ObjectNode child = node.has(key) && node.get(key).isObject() ? (ObjectNode) node.get(key) : null;
                ObjectNode target = child != null ? child : JsonNodeFactory.instance.objectNode();
                applyEnvironment(target, componentType, variable, path + "." + key);
                if (child == null && !target.isEmpty()) {
                    node.set(key, target);
                }
                continue;
            }
            String value = env.get(variable);
            if (value == null) {
                continue;
            }
            if (List.class.isAssignableFrom(componentType)) {
                var array = node.putArray(key);
                for (String item : value.split(",")) {
                    if (!item.isBlank()) {
                        array.add(item.strip());
                    }
                }
            } else if (Map.class.isAssignableFrom(componentType) || isMapOptional(component.getGenericType())) {
                problems.add(path + "." + key + ": cannot be set from " + variable + "; set it in the YAML file");
            } else {
                node.put(key, value);
            }
        }
    }

    /** Reports every unknown key (Jackson would stop at the first problem) and removes it before binding. */
    private void dropUnknownKeys(ObjectNode node, Class<?> type, String path) {
        if (!type.isRecord()) {
            return;
        }
        Map<String, RecordComponent> components = new java.util.LinkedHashMap<>();
        for (RecordComponent component : type.getRecordComponents()) {
            components.put(
                    PropertyNamingStrategies.KebabCaseStrategy.INSTANCE.translate(component.getName()), component);
        }
        for (String key : new ArrayList<>(iterable(node.fieldNames()))) {
            RecordComponent component = components.get(key);
            if (component == null) {
                problems.add(path + "." + key + ": unknown key; known keys are "
                        + components.keySet().stream().sorted().toList());
                node.remove(key);
            } else if (component.getType().isRecord() && node.get(key).isObject()) {
                dropUnknownKeys((ObjectNode) node.get(key), component.getType(), path + "." + key);
            }
        }
    }

    private static List<String> iterable(Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }

    private static boolean isMapOptional(Type type) {
        return type instanceof ParameterizedType p
                && p.getRawType() == Optional.class
                && p.getActualTypeArguments()[0] instanceof Class<?> c
                && Map.class.isAssignableFrom(c);
    }

    private static String describe(String section, IOException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return section + "." + path(unknown) + ": unknown key; known keys are "
                    + unknown.getKnownPropertyIds().stream()
                            .map(String::valueOf)
                            .sorted()
                            .toList();
        }
        if (e instanceof ValueInstantiationException invalid) {
            Throwable cause = invalid.getCause() != null ? invalid.getCause() : invalid;
            String at = path(invalid);
            return section + (at.isEmpty() ? "" : "." + at) + ": " + cause.getMessage();
        }
        if (e instanceof JsonMappingException mapping) {
            String message = mapping.getOriginalMessage() == null
                    ? ""
                    : mapping.getOriginalMessage().lines().findFirst().orElse("");
            return section + "." + path(mapping) + ": " + message;
        }
        return section + ": " + e.getMessage();
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
    }
}
