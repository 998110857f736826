package dev.nexus.plugin.kubernetes;

import dev.nexus.api.tool.RiskLevel;
import dev.nexus.api.tool.ToolSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.pf4j.Extension;

/** {@code kubernetes_scale}: sets a deployment's replicas (read, change, write back with its resourceVersion). High risk. */
@Extension
public final class ScaleDeployment extends KubeTool {

    private static final ToolSpec SPEC = new ToolSpec(
            "kubernetes_scale",
            "Scales a Kubernetes deployment to a number of " + "replicas.",
            schema(
                    NAMESPACE + ",\"deployment\":{\"type\":\"string\",\"maxLength\":253},"
                            + "\"replicas\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":10000}",
                    "deployment",
                    "replicas"),
            RiskLevel.HIGH);

    /** Creates the tool; PF4J calls this. */
    public ScaleDeployment() {}

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    @Override
    String run(KubeClient kube, Map<String, Object> args, KubeSettings settings) {
        only(args, SPEC.name(), Set.of("namespace", "deployment", "replicas"));
        String ns = namespace(args, settings);
        String name = name(args, "deployment");
        if (!(args.get("replicas") instanceof Number n)
                || n.doubleValue() != Math.rint(n.doubleValue())
                || n.longValue() < 0) {
            throw new KubeException("argument 'replicas' is required: a whole number from 0", false);
        }
        if (n.longValue() > settings.maxReplicas()) {
            throw new KubeException(
                    "replicas " + n.longValue() + " is more than plugins.config.kubernetes.max-replicas ("
                            + settings.maxReplicas() + ")",
                    false);
        }
        Map<String, Object> deployment = new LinkedHashMap<>(kube.get(deploymentPath(ns, name)));
        Map<String, Object> spec = new LinkedHashMap<>(map(deployment.getOrDefault("spec", Map.of()), "spec"));
        Object before = spec.getOrDefault("replicas", 1L);
        spec.put("replicas", n.longValue());
        deployment.put("spec", spec);
        kube.put(deploymentPath(ns, name), deployment);
        return "Scaled deployment " + ns + "/" + name + " from " + before + " to " + n.longValue() + " replicas";
    }
}
