package dev.nexus.plugin.kubernetes;

import dev.nexus.api.tool.RiskLevel;
import dev.nexus.api.tool.ToolSpec;
import java.util.Map;
import java.util.Set;
import org.pf4j.Extension;

/** {@code kubernetes_get_deployments}: the deployments of a namespace with replicas and images. */
@Extension
public final class GetDeployments extends KubeTool {

    private static final ToolSpec SPEC = new ToolSpec(
            "kubernetes_get_deployments",
            "Lists the deployments of a Kubernetes " + "namespace: desired and ready replicas, and container images.",
            schema(NAMESPACE),
            RiskLevel.LOW);

    /** Creates the tool; PF4J calls this. */
    public GetDeployments() {}

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    @Override
    String run(KubeClient kube, Map<String, Object> args, KubeSettings settings) {
        only(args, SPEC.name(), Set.of("namespace"));
        String ns = namespace(args, settings);
        StringBuilder out = new StringBuilder();
        for (Object item : list(kube.get(deploymentPath(ns, "")).get("items"))) {
            Map<String, Object> d = map(item, "deployment");
            Map<String, Object> spec = map(d.getOrDefault("spec", Map.of()), "spec");
            Map<String, Object> status = map(d.getOrDefault("status", Map.of()), "status");
            out.append(map(d.get("metadata"), "metadata").get("name"))
                    .append(": replicas ")
                    .append(spec.getOrDefault("replicas", 1))
                    .append(", ready ")
                    .append(status.getOrDefault("readyReplicas", 0))
                    .append(", images ")
                    .append(images(spec))
                    .append('\n');
        }
        return out.isEmpty() ? "no deployments in namespace " + ns : out.toString();
    }

    static java.util.List<Object> images(Map<String, Object> spec) {
        Map<String, Object> template = map(spec.getOrDefault("template", Map.of()), "template");
        Map<String, Object> pod = map(template.getOrDefault("spec", Map.of()), "pod spec");
        return list(pod.get("containers")).stream()
                .map(c -> map(c, "container").get("image"))
                .toList();
    }
}
