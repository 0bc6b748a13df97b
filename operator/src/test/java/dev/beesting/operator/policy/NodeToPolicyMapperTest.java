package dev.beesting.operator.policy;

import static dev.beesting.operator.policy.Policies.literal;
import static dev.beesting.operator.policy.Policies.policy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.beesting.api.v1alpha1.HoneytokenNode;
import dev.beesting.api.v1alpha1.HoneytokenNodeStatus;
import dev.beesting.api.v1alpha1.HoneytokenPolicy;
import dev.beesting.api.v1alpha1.HoneytokenPolicyStatus;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeToPolicyMapperTest {
    private final HoneytokenPolicy policy = policy("p", "2025-01-01T00:00:00Z", null, literal("/a", "x"));

    private static HoneytokenNode node(long generation, boolean protecting) {
        HoneytokenNode node = new HoneytokenNode();
        node.getMetadata().setName("worker-1");
        HoneytokenNodeStatus status = new HoneytokenNodeStatus();
        status.configGeneration = generation;
        status.nriConnected = protecting;
        status.detector = "fanotify";
        node.setStatus(status);
        return node;
    }

    private void status(Long configGeneration, int ready, int total) {
        HoneytokenPolicyStatus status = new HoneytokenPolicyStatus();
        status.configGeneration = configGeneration;
        status.nodesReady = ready;
        status.nodesTotal = total;
        policy.setStatus(status);
    }

    @Test
    void aPolicyReadyEverywhereIsNotRecountedForAReportOfANewerGeneration() {
        status(5L, 3, 3);
        assertThat(NodeToPolicyMapper.affected(policy, node(9, true), 3)).isFalse();
    }

    @Test
    void aPolicyBeingRolledOutIsRecounted() {
        status(9L, 1, 3);
        assertThat(NodeToPolicyMapper.affected(policy, node(9, true), 3)).isTrue();
    }

    @Test
    void anotherNodeCountANodeThatStoppedProtectingOrWentBackIsRecounted() {
        status(5L, 3, 3);
        assertThat(NodeToPolicyMapper.affected(policy, node(9, true), 4))
                .as("a node came")
                .isTrue();
        assertThat(NodeToPolicyMapper.affected(policy, node(9, false), 3))
                .as("not protecting")
                .isTrue();
        assertThat(NodeToPolicyMapper.affected(policy, node(4, true), 3))
                .as("config went back")
                .isTrue();
    }

    @Test
    void skippedTokensAndAMissingStatusAreRecounted() {
        assertThat(NodeToPolicyMapper.affected(policy, node(9, true), 3))
                .as("no status yet")
                .isTrue();
        status(5L, 3, 3);
        HoneytokenNode skipping = node(9, true);
        skipping.getStatus().skippedTokensByPolicy = Map.of("p", 1);
        assertThat(NodeToPolicyMapper.affected(policy, skipping, 3)).isTrue();
    }

    @Test
    void aRejectedPolicyIsRecountedOnlyForItsNodeCount() {
        status(null, 0, 3);
        assertThat(NodeToPolicyMapper.affected(policy, node(9, true), 3)).isFalse();
        assertThat(NodeToPolicyMapper.affected(policy, node(9, true), 4)).isTrue();
    }
}
