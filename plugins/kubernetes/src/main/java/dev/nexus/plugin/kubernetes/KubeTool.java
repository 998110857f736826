package dev.nexus.plugin.kubernetes;

import dev.nexus.api.PluginContext;
import dev.nexus.api.tool.Tool;
import dev.nexus.api.tool.ToolCall;
import dev.nexus.api.tool.ToolResult;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What every Kubernetes action shares: settings and client made once at start, arguments checked
 * (namespaces and names as Kubernetes spells them, allowed namespaces), failures returned as values.
 * Thread-safe.
 */
abstract class KubeTool implements Tool {

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

    private volatile KubeSettings settings;
    private volatile KubeClient client;

    @Override
    public void start(PluginContext context) {
        settings = KubeSettings.from(context);
        client = new KubeClient(settings);
    }

    @Override
    public final ToolResult invoke(ToolCall call) {
        KubeClient current = client;
        if (current == null) {
            return new ToolResult.Failure(spec().name() + " is not started", true);
        }
        if (settings.api().isEmpty()) {
            return new ToolResult.Failure(
                    "the kubernetes integration is not configured: set plugins.config.kubernetes.api-url to the "
                            + "API server's URL (and NEXUS_SECRET_KUBERNETES_TOKEN to a service account token)",
                    false);
        }
        try {
            return new ToolResult.Success(run(current, call.arguments(), settings), "text/plain");
        } catch (KubeException e) {
            return new ToolResult.Failure(e.getMessage(), e.retriable());
        }
    }

    /** Runs the action; returns the text the model reads. */
    abstract String run(KubeClient kube, Map<String, Object> args, KubeSettings settings);

    static void only(Map<String, Object> args, String tool, Set<String> known) {
        for (String key : args.keySet()) {
            if (!known.contains(key)) {
                throw new KubeException(
                        "unknown argument '" + cap(key) + "'; " + tool + " takes "
                                + known.stream().sorted().toList(),
                        false);
            }
        }
    }

    static Optional<String> text(Map<String, Object> args, String name) {
        Object value = args.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String s)) {
            throw new KubeException("argument '" + name + "' must be a string", false);
        }
        return Optional.of(s);
    }

    /** The namespace a call names (or the configured one), checked against Kubernetes' rules and the allowlist. */
    static String namespace(Map<String, Object> args, KubeSettings settings) {
        String ns = text(args, "namespace").orElse(settings.namespace());
        if (!LABEL.matcher(ns).matches()) {
            throw new KubeException(
                    "argument 'namespace' must be a Kubernetes namespace name (lower-case letters, digits, '-'), got '"
                            + cap(ns) + "'",
                    false);
        }
        if (!settings.allowedNamespaces().isEmpty()
                && !settings.allowedNamespaces().contains(ns)) {
            throw new KubeException(
                    "namespace '" + ns + "' is not in plugins.config.kubernetes.allowed-namespaces "
                            + settings.allowedNamespaces(),
                    false);
        }
        return ns;
    }

    static String name(Map<String, Object> args, String field) {
        String name = text(args, field)
                .orElseThrow(() -> new KubeException("argument '" + field + "' is required: a resource name", false));
        if (!NAME.matcher(name).matches()) {
            throw new KubeException(
                    "argument '" + field + "' must be a Kubernetes name (lower-case letters, digits, '-', '.'), got '"
                            + cap(name) + "'",
                    false);
        }
        return name;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value, String what) {
        if (value instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new KubeException("the API server's answer has no " + what, true);
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return value instanceof List<?> l ? (List<Object>) l : List.of();
    }

    static String cap(String value) {
        return value.length() <= 80 ? value : value.substring(0, 80) + "…(" + value.length() + " chars)";
    }

    static String schema(String properties, String... required) {
        return "{\"type\":\"object\",\"properties\":{" + properties + "},\"required\":["
                + String.join(
                        ",",
                        java.util.Arrays.stream(required)
                                .map(r -> "\"" + r + "\"")
                                .toList())
                + "],\"additionalProperties\":false}";
    }

    static final String NAMESPACE =
            "\"namespace\":{\"type\":\"string\",\"maxLength\":63,\"description\":\"Default: the configured namespace\"}";

    static String deploymentPath(String ns, String name) {
        return "/apis/apps/v1/namespaces/" + ns + "/deployments" + (name.isEmpty() ? "" : "/" + name);
    }
}
