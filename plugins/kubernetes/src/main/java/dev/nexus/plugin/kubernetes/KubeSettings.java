package dev.nexus.plugin.kubernetes;

import dev.nexus.api.PluginContext;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The {@code kubernetes} configuration section. Immutable.
 *
 * @param api the API server ({@code api-url}); empty until configured, and every call then fails saying so
 * @param token the bearer token ({@code NEXUS_SECRET_KUBERNETES_TOKEN}, else {@code token})
 * @param namespace the namespace of calls that name none ({@code namespace}, default {@code default})
 * @param allowedNamespaces namespaces calls may reach; empty: any
 * @param timeout one request's limit ({@code timeout-ms}, default 10 s)
 * @param maxReplicas the most replicas a scale may ask for ({@code max-replicas}, default 50)
 */
record KubeSettings(
        Optional<URI> api,
        Optional<String> token,
        String namespace,
        List<String> allowedNamespaces,
        Duration timeout,
        int maxReplicas) {

    /** Reads the section. @throws IllegalArgumentException naming the key and the fix */
    static KubeSettings from(PluginContext context) {
        Optional<URI> api = context.config()
                .string("api-url")
                .map(String::strip)
                .map(url -> {
                    URI uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
                    if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
                        throw new IllegalArgumentException(
                                "kubernetes config 'api-url' must be an http(s) URL, got '" + url + "'");
                    }
                    return uri;
                });
        return new KubeSettings(
                api,
                context.secret("TOKEN")
                        .or(() -> context.config().string("token"))
                        .filter(t -> !t.isBlank()),
                context.config().string("namespace").orElse("default"),
                context.config().strings("allowed-namespaces"),
                Duration.ofMillis(context.config().integer("timeout-ms", 10_000)),
                (int) context.config().integer("max-replicas", 50));
    }
}
