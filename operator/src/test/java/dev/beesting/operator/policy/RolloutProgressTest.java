package dev.beesting.operator.policy;

import static dev.beesting.operator.policy.Policies.literal;
import static dev.beesting.operator.policy.Policies.policy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.beesting.api.nodeconfig.CompiledPolicy;
import dev.beesting.api.v1alpha1.HoneytokenPolicy;
import dev.beesting.api.v1alpha1.HoneytokenPolicyStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutProgressTest {
    private final PolicyStatusFactory factory =
            new PolicyStatusFactory(Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC));
    private final HoneytokenPolicy policy = policy("p", "2025-01-01T00:00:00Z", null, literal("/a", "x"));
    private final PolicyOutcome outcome = new PolicyOutcome.Compiled(
            new CompiledPolicy("p", "uid-p", 1, List.of(), null, List.of(), null, null, null));

    private HoneytokenPolicyStatus status(long configGeneration, int ready, int total) {
        List<String> pending = java.util.stream.IntStream.range(ready, total)
                .mapToObj(i -> "node-" + i)
                .toList();
        HoneytokenPolicyStatus status = factory.status(
                policy, outcome, configGeneration, new NodeReadiness(ready, total, pending), AlertTally.NONE);
        policy.setStatus(status);
        return status;
    }

    @Test
    void moreNodesReadyForTheSameGenerationIsProgress() {
        HoneytokenPolicyStatus before = status(7, 10, 100);
        assertThat(HoneytokenPolicyReconciler.rolloutProgressOnly(before, status(7, 40, 100)))
                .isTrue();
    }

    @Test
    void theEndOfTheRolloutANewGenerationOrAnotherNodeCountIsNot() {
        HoneytokenPolicyStatus before = status(7, 99, 100);
        assertThat(HoneytokenPolicyReconciler.rolloutProgressOnly(before, status(7, 100, 100)))
                .as("all ready")
                .isFalse();
        before = status(7, 10, 100);
        assertThat(HoneytokenPolicyReconciler.rolloutProgressOnly(before, status(8, 10, 100)))
                .as("another config generation")
                .isFalse();
        before = status(8, 10, 100);
        assertThat(HoneytokenPolicyReconciler.rolloutProgressOnly(before, status(8, 10, 101)))
                .as("a node came")
                .isFalse();
        assertThat(HoneytokenPolicyReconciler.rolloutProgressOnly(null, status(8, 10, 100)))
                .as("no status yet")
                .isFalse();
    }
}
