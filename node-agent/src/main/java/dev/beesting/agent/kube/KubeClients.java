package dev.beesting.agent.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/** The agent's API client: in-cluster (or kubeconfig) settings, failing fast because the writers retry themselves. */
public final class KubeClients {
    private KubeClients() {}

    /**
     * fabric8 retries a failed request up to ten times with growing pauses by default; during an API outage that
     * would hold the alert writer on one request for minutes instead of letting it back off and keep counting.
     */
    public static Config agentConfig(Config base) {
        return new ConfigBuilder(base)
                .withRequestRetryBackoffLimit(1)
                .withRequestRetryBackoffInterval(200)
                .withConnectionTimeout(5_000)
                .withRequestTimeout(10_000)
                .build();
    }

    public static KubernetesClient forAgent() {
        return new KubernetesClientBuilder()
                .withConfig(agentConfig(Config.autoConfigure(null)))
                .build();
    }
}
