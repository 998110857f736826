package dev.nexus.plugin.kubernetes;

import dev.nexus.api.tool.RiskLevel;
import dev.nexus.api.tool.ToolSpec;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.pf4j.Extension;

/** {@code kubernetes_get_pods}: the pods of a namespace (optionally by label selector) with phase and restarts. */
@Extension
public final class GetPods extends KubeTool {

    private static final ToolSpec SPEC = new ToolSpec(
            "kubernetes_get_pods",
            "Lists the pods of a Kubernetes namespace, "
                    + "optionally filtered by a label selector such as app=web: phase, node and restarts.",
            schema(NAMESPACE + ",\"selector\":{\"type\":\"string\",\"maxLength\":500}"),
            RiskLevel.LOW);

    /** Creates the tool; PF4J calls this. */
    public GetPods() {}

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    @Override
    String run(KubeClient kube, Map<String, Object> args, KubeSettings settings) {
        only(args, SPEC.name(), Set.of("namespace", "selector"));
        String ns = namespace(args, settings);
        String selector = text(args, "selector")
                .map(s -> "?labelSelector=" + URLEncoder.encode(s, StandardCharsets.UTF_8))
                .orElse("");
        StringBuilder out = new StringBuilder();
        for (Object item :
                list(kube.get("/api/v1/namespaces/" + ns + "/pods" + selector).get("items"))) {
            Map<String, Object> pod = map(item, "pod");
            Map<String, Object> status = map(pod.getOrDefault("status", Map.of()), "status");
            long restarts = list(status.get("containerStatuses")).stream()
                    .mapToLong(
                            c -> map(c, "container status").get("restartCount") instanceof Number n ? n.longValue() : 0)
                    .sum();
            out.append(map(pod.get("metadata"), "metadata").get("name"))
                    .append(": ")
                    .append(status.getOrDefault("phase", "Unknown"))
                    .append(", restarts ")
                    .append(restarts)
                    .append('\n');
        }
        return out.isEmpty() ? "no pods in namespace " + ns : out.toString();
    }
}
