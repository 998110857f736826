package dev.nexus.plugin.kubernetes;

import dev.nexus.api.tool.RiskLevel;
import dev.nexus.api.tool.ToolSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pf4j.Extension;

/** {@code kubernetes_get_events}: the latest events of a namespace. */
@Extension
public final class GetEvents extends KubeTool {

    private static final ToolSpec SPEC = new ToolSpec(
            "kubernetes_get_events",
            "Lists the latest events of a Kubernetes namespace: " + "type, reason, object and message.",
            schema(NAMESPACE + ",\"limit\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":200}"),
            RiskLevel.LOW);

    /** Creates the tool; PF4J calls this. */
    public GetEvents() {}

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    @Override
    String run(KubeClient kube, Map<String, Object> args, KubeSettings settings) {
        only(args, SPEC.name(), Set.of("namespace", "limit"));
        String ns = namespace(args, settings);
        Object limit = args.getOrDefault("limit", 20L);
        if (!(limit instanceof Number n) || n.longValue() < 1 || n.longValue() > 200) {
            throw new KubeException("argument 'limit' must be a whole number from 1 to 200", false);
        }
        List<Object> items =
                list(kube.get("/api/v1/namespaces/" + ns + "/events").get("items"));
        StringBuilder out = new StringBuilder();
        for (int i = Math.max(0, items.size() - n.intValue()); i < items.size(); i++) {
            Map<String, Object> e = map(items.get(i), "event");
            Map<String, Object> involved = map(e.getOrDefault("involvedObject", Map.of()), "object");
            out.append(e.getOrDefault("type", "Normal"))
                    .append(' ')
                    .append(e.getOrDefault("reason", ""))
                    .append(' ')
                    .append(involved.getOrDefault("kind", ""))
                    .append('/')
                    .append(involved.getOrDefault("name", ""))
                    .append(": ")
                    .append(e.getOrDefault("message", ""))
                    .append('\n');
        }
        return out.isEmpty() ? "no events in namespace " + ns : out.toString();
    }
}
