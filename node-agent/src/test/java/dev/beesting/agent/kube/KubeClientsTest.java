package dev.beesting.agent.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import org.junit.jupiter.api.Test;

class KubeClientsTest {
    @Test
    void theAgentsClientFailsFastSoItsWritersCanBackOffThemselves() {
        Config base = new ConfigBuilder(Config.empty())
                .withMasterUrl("https://10.0.0.1:443")
                .withNamespace("beesting-system")
                .build();
        Config config = KubeClients.agentConfig(base);
        assertThat(config.getRequestRetryBackoffLimit()).isEqualTo(1);
        assertThat(config.getRequestTimeout()).isEqualTo(10_000);
        assertThat(config.getMasterUrl()).startsWith("https://10.0.0.1");
        assertThat(config.getNamespace()).isEqualTo("beesting-system");
    }
}
