package dev.nexus.plugin.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.db.Database;
import dev.nexus.host.testing.PackagedPlugin;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 15's "done when" for Kubernetes, on H2 and PostgreSQL: scaling a deployment on fabric8's mock
 * API server through the task executor needs approval, and then takes effect.
 */
@ParameterizedClass
@MethodSource(TestHost.DATABASES)
@SuppressWarnings("unchecked")
class KubernetesScaleIT {

    @Parameter
    Database.Kind database;

    @TempDir
    Path dir;

    @Test
    void scalingADeployment_needsApproval_andThenTakesEffect() throws Exception {
        Path plugins = dir.resolve("plugins");
        PackagedPlugin.installInto(plugins);
        try (MockCluster cluster = new MockCluster();
                TestHost host = TestHost.builder()
                        .database(database)
                        .env("NEXUS_PLUGINS_DIRECTORY", plugins.toString())
                        .env("NEXUS_SECRET_KUBERNETES_TOKEN", "sa-token")
                        .yaml("plugins: {config: {kubernetes: {api-url: \"" + cluster.url()
                                + "\"}}}\ntasks: {poll-millis: 50}")
                        .start()) {
            TestHttp admin = host.http();
            TestHttp ops = admin.withKey((String)
                    TestHttp.json(admin.post("/v1/keys", "{\"name\":\"ops\",\"scopes\":[\"user\"],\"user\":\"ops\"}"))
                            .get("secret"));
            TestHttp reviewer = admin.withKey(
                    (String) TestHttp.json(admin.post("/v1/keys", "{\"name\":\"reviewer\",\"scopes\":[\"approver\"]}"))
                            .get("secret"));

            List<Map<String, Object>> integrations = (List<Map<String, Object>>)
                    TestHttp.json(ops.get("/v1/tasks/integrations")).get("integrations");
            assertThat(integrations)
                    .filteredOn(i -> "kubernetes".equals(i.get("integration")))
                    .singleElement()
                    .satisfies(i -> assertThat((List<Map<String, Object>>) i.get("actions"))
                            .extracting(a -> a.get("action") + ":" + a.get("needsApproval"))
                            .containsExactly(
                                    "apply:true",
                                    "get_deployments:false",
                                    "get_events:false",
                                    "get_pods:false",
                                    "rollout_image:true",
                                    "scale:true"));

            HttpResponse<String> submitted = ops.post(
                    "/v1/tasks/execute",
                    "{\"integration\":\"kubernetes\",\"action\":\"scale\",\"params\":{\"deployment\":\"web\",\"replicas\":3}}");
            assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
            Map<String, Object> task = TestHttp.json(submitted);
            assertThat(task).containsEntry("status", "awaiting-approval").containsEntry("risk", "high");
            assertThat(cluster.web().getSpec().getReplicas())
                    .as("not before approval")
                    .isEqualTo(1);

            String proposal = (String) task.get("proposal");
            String sha = (String)
                    TestHttp.json(reviewer.get("/v1/proposals/" + proposal)).get("sha256");
            HttpResponse<String> approved = reviewer.post(
                    "/v1/proposals/" + proposal + "/approve",
                    "{\"sha256\":\"" + sha + "\",\"reason\":\"traffic is up\"}");
            assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);

            Map<String, Object> done = Map.of();
            for (int i = 0; i < 200 && !"completed".equals(done.get("status")); i++) {
                Thread.sleep(50);
                done = TestHttp.json(ops.get("/v1/tasks/" + task.get("id")));
            }
            assertThat(done)
                    .containsEntry("status", "completed")
                    .containsEntry("result", "Scaled deployment default/web from 1 to 3 replicas");
            assertThat(cluster.web().getSpec().getReplicas())
                    .as("after approval")
                    .isEqualTo(3);
        }
    }
}
