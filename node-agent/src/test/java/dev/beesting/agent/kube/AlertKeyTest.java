package dev.beesting.agent.kube;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AlertKeyTest {
    private static final String DNS_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";

    @Test
    void nameIsThePodNamePlusAStableHashOfUidContainerAndPath() {
        AlertKey key = new AlertKey("cms", "simplecms-6c4bfc97cd-wdnhv", "uid-1", "cms", "/root/.aws/credentials");
        assertThat(key.objectName())
                .startsWith("simplecms-6c4bfc97cd-wdnhv-")
                .hasSize("simplecms-6c4bfc97cd-wdnhv-".length() + 8)
                .isEqualTo(new AlertKey("cms", "simplecms-6c4bfc97cd-wdnhv", "uid-1", "cms", "/root/.aws/credentials")
                        .objectName());
    }

    @Test
    void anotherPodUidContainerOrPathGetsAnotherName() {
        AlertKey key = new AlertKey("cms", "web", "uid-1", "cms", "/a");
        assertThat(key.objectName())
                .isNotEqualTo(new AlertKey("cms", "web", "uid-2", "cms", "/a").objectName())
                .isNotEqualTo(new AlertKey("cms", "web", "uid-1", "sidecar", "/a").objectName())
                .isNotEqualTo(new AlertKey("cms", "web", "uid-1", "cms", "/b").objectName());
    }

    @Test
    void longOrOddPodNamesStillGiveAValidDnsLabel() {
        String longName = "a".repeat(200) + ".b";
        assertThat(new AlertKey("ns", longName, "u", "c", "/p").objectName())
                .matches(DNS_LABEL)
                .hasSizeLessThanOrEqualTo(63);
        assertThat(new AlertKey("ns", "web.v1", "u", "c", "/p").objectName()).matches(DNS_LABEL);
        assertThat(new AlertKey("ns", "-x" + "y".repeat(52) + "-z", "u", "c", "/p").objectName())
                .matches(DNS_LABEL);
    }

    @Test
    void labelValuesAreClampedToWhatKubernetesAccepts() {
        assertThat(Labels.value("fake-aws-credentials")).isEqualTo("fake-aws-credentials");
        assertThat(Labels.value("x".repeat(62) + "-y")).hasSize(62).matches("x+");
        assertThat(Labels.value("a/b c")).isEqualTo("a-b-c");
        assertThat(Labels.value(null)).isEmpty();
    }
}
