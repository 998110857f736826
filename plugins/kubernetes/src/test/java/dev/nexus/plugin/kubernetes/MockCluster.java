package dev.nexus.plugin.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.util.HashMap;

/**
 * fabric8's mock API server in CRUD mode (it stores what it is sent and answers like an API server),
 * with fabric8's client to set up and check the cluster: deployment {@code web} (1 replica, image
 * {@code nginx:1.25}), one of its pods and an event, in namespace {@code default}.
 */
final class MockCluster implements AutoCloseable {

    final KubernetesMockServer server;
    final KubernetesClient client;

    MockCluster() {
        server = new KubernetesMockServer(
                new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init();
        client = server.createClient();
        client.apps()
                .deployments()
                .inNamespace("default")
                .resource(new DeploymentBuilder()
                        .withNewMetadata()
                        .withName("web")
                        .withNamespace("default")
                        .endMetadata()
                        .withNewSpec()
                        .withReplicas(1)
                        .withNewSelector()
                        .addToMatchLabels("app", "web")
                        .endSelector()
                        .withNewTemplate()
                        .withNewMetadata()
                        .addToLabels("app", "web")
                        .endMetadata()
                        .withNewSpec()
                        .addToContainers(new ContainerBuilder()
                                .withName("web")
                                .withImage("nginx:1.25")
                                .build())
                        .endSpec()
                        .endTemplate()
                        .endSpec()
                        .build())
                .create();
        client.pods()
                .inNamespace("default")
                .resource(new PodBuilder()
                        .withNewMetadata()
                        .withName("web-1")
                        .withNamespace("default")
                        .addToLabels("app", "web")
                        .endMetadata()
                        .withNewStatus()
                        .withPhase("Running")
                        .endStatus()
                        .build())
                .create();
        client.v1()
                .events()
                .inNamespace("default")
                .resource(new EventBuilder()
                        .withNewMetadata()
                        .withName("web.1")
                        .endMetadata()
                        .withType("Normal")
                        .withReason("ScalingReplicaSet")
                        .withMessage("Scaled up replica set web-1 to 1")
                        .withNewInvolvedObject()
                        .withKind("Deployment")
                        .withName("web")
                        .endInvolvedObject()
                        .build())
                .create();
    }

    /** The API server URL the plugin is configured with. */
    String url() {
        return "http://" + server.getHostName() + ":" + server.getPort();
    }

    Deployment web() {
        return client.apps()
                .deployments()
                .inNamespace("default")
                .withName("web")
                .get();
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
