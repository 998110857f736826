package dev.nexus.plugin.kubernetes;

import dev.nexus.api.tool.RiskLevel;
import dev.nexus.api.tool.ToolSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pf4j.Extension;

/** {@code kubernetes_rollout_image}: sets a deployment container's image, which rolls the deployment out. High risk. */
@Extension
public final class RolloutImage extends KubeTool {

    private static final ToolSpec SPEC = new ToolSpec(
            "kubernetes_rollout_image",
            "Rolls out a new container image for a "
                    + "Kubernetes deployment (the container may be left out when the deployment has only one).",
            schema(
                    NAMESPACE
                            + ",\"deployment\":{\"type\":\"string\",\"maxLength\":253},\"container\":{\"type\":\"string\",\"maxLength\":63},"
                            + "\"image\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":500}",
                    "deployment",
                    "image"),
            RiskLevel.HIGH);

    /** Creates the tool; PF4J calls this. */
    public RolloutImage() {}

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    @Override
    String run(KubeClient kube, Map<String, Object> args, KubeSettings settings) {
        only(args, SPEC.name(), Set.of("namespace", "deployment", "container", "image"));
        String ns = namespace(args, settings);
        String name = name(args, "deployment");
        String image = text(args, "image")
                .filter(i -> !i.isBlank() && i.chars().noneMatch(Character::isWhitespace))
                .orElseThrow(() ->
                        new KubeException("argument 'image' is required: an image such as registry/app:1.2.3", false));
        Map<String, Object> deployment = new LinkedHashMap<>(kube.get(deploymentPath(ns, name)));
        Map<String, Object> spec = new LinkedHashMap<>(map(deployment.get("spec"), "spec"));
        Map<String, Object> template = new LinkedHashMap<>(map(spec.get("template"), "pod template"));
        Map<String, Object> pod = new LinkedHashMap<>(map(template.get("spec"), "pod spec"));
        List<Object> containers = new ArrayList<>(list(pod.get("containers")));
        String wanted = text(args, "container")
                .orElse(
                        containers.size() == 1
                                ? String.valueOf(
                                        map(containers.get(0), "container").get("name"))
                                : "");
        if (wanted.isEmpty()) {
            throw new KubeException(
                    "deployment " + name + " has " + containers.size() + " containers; name one with 'container'",
                    false);
        }
        String before = null;
        for (int i = 0; i < containers.size(); i++) {
            Map<String, Object> c = new LinkedHashMap<>(map(containers.get(i), "container"));
            if (wanted.equals(c.get("name"))) {
                before = String.valueOf(c.get("image"));
                c.put("image", image);
                containers.set(i, c);
            }
        }
        if (before == null) {
            throw new KubeException("deployment " + name + " has no container '" + cap(wanted) + "'", false);
        }
        pod.put("containers", containers);
        template.put("spec", pod);
        spec.put("template", template);
        deployment.put("spec", spec);
        kube.put(deploymentPath(ns, name), deployment);
        return "Rolling out " + image + " to " + ns + "/" + name + " (container " + wanted + ", was " + before + ")";
    }
}
