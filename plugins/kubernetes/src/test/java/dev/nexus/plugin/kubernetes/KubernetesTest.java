package dev.nexus.plugin.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.api.testing.FakePluginContext;
import dev.nexus.api.tool.Tool;
import dev.nexus.api.tool.ToolCall;
import dev.nexus.api.tool.ToolResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Kubernetes actions against fabric8's mock API server (CRUD mode). */
class KubernetesTest {

    private MockCluster cluster;
    private FakePluginContext context;

    @BeforeEach
    void start() {
        cluster = new MockCluster();
        context = FakePluginContext.builder("kubernetes")
                .config(Map.of("api-url", cluster.url()))
                .secret("TOKEN", "sa-token")
                .build();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private ToolResult call(Tool tool, Map<String, Object> arguments) {
        tool.start(context);
        return tool.invoke(new ToolCall("c", tool.spec().name(), arguments, "ada", "ops"));
    }

    private static String ok(ToolResult result) {
        assertThat(result).isInstanceOf(ToolResult.Success.class);
        return ((ToolResult.Success) result).content();
    }

    private static String failed(ToolResult result) {
        assertThat(result).isInstanceOf(ToolResult.Failure.class);
        return ((ToolResult.Failure) result).message();
    }

    @Test
    void clusterState_deploymentsPodsAndEvents_areRead() {
        assertThat(ok(call(new GetDeployments(), Map.of())))
                .isEqualTo("web: replicas 1, ready 0, images [nginx:1.25]\n");
        assertThat(ok(call(new GetPods(), Map.of("selector", "app=web")))).isEqualTo("web-1: Running, restarts 0\n");
        assertThat(ok(call(new GetEvents(), Map.of())))
                .isEqualTo("Normal ScalingReplicaSet Deployment/web: Scaled up replica set web-1 to 1\n");
        assertThat(ok(call(new GetDeployments(), Map.of("namespace", "empty"))))
                .isEqualTo("no deployments in namespace empty");
    }

    @Test
    void scale_andRollout_changeTheDeployment() {
        assertThat(ok(call(new ScaleDeployment(), Map.of("deployment", "web", "replicas", 3L))))
                .isEqualTo("Scaled deployment default/web from 1 to 3 replicas");
        assertThat(cluster.web().getSpec().getReplicas()).isEqualTo(3);

        assertThat(ok(call(new RolloutImage(), Map.of("deployment", "web", "image", "nginx:1.27"))))
                .isEqualTo("Rolling out nginx:1.27 to default/web (container web, was nginx:1.25)");
        assertThat(cluster.web()
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getImage())
                .isEqualTo("nginx:1.27");
        assertThat(cluster.web().getSpec().getReplicas())
                .as("the rollout keeps the replicas")
                .isEqualTo(3);
    }

    @Test
    void apply_createsThenReplaces() {
        Map<String, Object> manifest = Map.of(
                "apiVersion",
                "v1",
                "kind",
                "ConfigMap",
                "metadata",
                Map.of("name", "settings"),
                "data",
                Map.of("mode", "calm"));
        assertThat(ok(call(new ApplyManifest(), Map.of("manifest", manifest))))
                .isEqualTo("Created ConfigMap default/settings");
        Map<String, Object> changed = Map.of(
                "apiVersion",
                "v1",
                "kind",
                "ConfigMap",
                "metadata",
                Map.of("name", "settings"),
                "data",
                Map.of("mode", "busy"));
        assertThat(ok(call(new ApplyManifest(), Map.of("manifest", changed))))
                .isEqualTo("Replaced ConfigMap default/settings");
        assertThat(cluster.client
                        .configMaps()
                        .inNamespace("default")
                        .withName("settings")
                        .get()
                        .getData())
                .containsEntry("mode", "busy");
        assertThat(failed(call(
                        new ApplyManifest(),
                        Map.of(
                                "manifest",
                                Map.of("apiVersion", "v1", "kind", "Secret", "metadata", Map.of("name", "x"))))))
                .isEqualTo("kind 'Secret' cannot be applied; kinds: [ConfigMap, Deployment, Pod, Service]");
    }

    @Test
    void missingResources_badNames_andOtherNamespaces_areRefusedClearly() {
        assertThat(failed(call(new ScaleDeployment(), Map.of("deployment", "api", "replicas", 2L))))
                .startsWith("not found: GET /apis/apps/v1/namespaces/default/deployments/api");
        assertThat(failed(call(new ScaleDeployment(), Map.of("deployment", "Web_1", "replicas", 2L))))
                .startsWith("argument 'deployment' must be a Kubernetes name");
        assertThat(failed(call(new ScaleDeployment(), Map.of("deployment", "web", "replicas", 500L))))
                .isEqualTo("replicas 500 is more than plugins.config.kubernetes.max-replicas (50)");
        context = FakePluginContext.builder("kubernetes")
                .config(Map.of("api-url", cluster.url(), "allowed-namespaces", List.of("staging")))
                .build();
        assertThat(failed(call(new GetPods(), Map.of("namespace", "kube-system"))))
                .isEqualTo("namespace 'kube-system' is not in plugins.config.kubernetes.allowed-namespaces [staging]");
        assertThat(cluster.web().getSpec().getReplicas()).isEqualTo(1);
        context = FakePluginContext.builder("kubernetes").build();
        assertThat(failed(call(new GetPods(), Map.of())))
                .startsWith("the kubernetes integration is not configured: set " + "plugins.config.kubernetes.api-url");
    }
}
