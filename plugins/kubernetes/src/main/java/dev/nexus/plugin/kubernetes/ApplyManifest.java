package dev.nexus.plugin.kubernetes;

import dev.nexus.api.tool.RiskLevel;
import dev.nexus.api.tool.ToolSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.pf4j.Extension;

/**
 * {@code kubernetes_apply}: creates a resource from a manifest, or replaces it when it exists (with the
 * current resourceVersion). Manifests are JSON objects (YAML is not read: the plugin has no YAML
 * parser); kinds: Deployment, Service, ConfigMap, Pod. High risk.
 */
@Extension
public final class ApplyManifest extends KubeTool {

    private static final Map<String, String> KINDS = Map.of(
            "Deployment",
            "apps/v1:deployments",
            "Service",
            "v1:services",
            "ConfigMap",
            "v1:configmaps",
            "Pod",
            "v1:pods");
    private static final ToolSpec SPEC = new ToolSpec(
            "kubernetes_apply",
            "Applies a Kubernetes manifest (a JSON object of kind "
                    + "Deployment, Service, ConfigMap or Pod): creates the resource, or replaces it when it exists.",
            schema(NAMESPACE + ",\"manifest\":{\"type\":\"object\"}", "manifest"),
            RiskLevel.HIGH);

    /** Creates the tool; PF4J calls this. */
    public ApplyManifest() {}

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    @Override
    String run(KubeClient kube, Map<String, Object> args, KubeSettings settings) {
        only(args, SPEC.name(), Set.of("namespace", "manifest"));
        if (!(args.get("manifest") instanceof Map<?, ?> raw)) {
            throw new KubeException(
                    "argument 'manifest' is required: a JSON object with apiVersion, kind and metadata.name", false);
        }
        Map<String, Object> manifest = new LinkedHashMap<>(map(raw, "manifest"));
        String kind = String.valueOf(manifest.get("kind"));
        String target = KINDS.get(kind);
        if (target == null) {
            throw new KubeException(
                    "kind '" + cap(kind) + "' cannot be applied; kinds: "
                            + KINDS.keySet().stream().sorted().toList(),
                    false);
        }
        String apiVersion = target.substring(0, target.indexOf(':'));
        if (!apiVersion.equals(manifest.get("apiVersion"))) {
            throw new KubeException(
                    kind + " manifests need apiVersion " + apiVersion + ", got '" + manifest.get("apiVersion") + "'",
                    false);
        }
        Map<String, Object> metadata =
                new LinkedHashMap<>(map(manifest.getOrDefault("metadata", Map.of()), "metadata"));
        String name = name(metadata, "name");
        Map<String, Object> withNs = new LinkedHashMap<>(args);
        if (metadata.get("namespace") instanceof String ns && !args.containsKey("namespace")) {
            withNs.put("namespace", ns);
        }
        String ns = namespace(withNs, settings);
        metadata.put("namespace", ns);
        manifest.put("metadata", metadata);
        String collection = (apiVersion.equals("v1") ? "/api/v1" : "/apis/" + apiVersion) + "/namespaces/" + ns + "/"
                + target.substring(target.indexOf(':') + 1);
        try {
            kube.post(collection, manifest);
            return "Created " + kind + " " + ns + "/" + name;
        } catch (KubeException e) {
            if (!e.getMessage().startsWith("conflict")) {
                throw e;
            }
        }
        Map<String, Object> existing = kube.get(collection + "/" + name);
        metadata.put(
                "resourceVersion", map(existing.get("metadata"), "metadata").get("resourceVersion"));
        kube.put(collection + "/" + name, manifest);
        return "Replaced " + kind + " " + ns + "/" + name;
    }
}
