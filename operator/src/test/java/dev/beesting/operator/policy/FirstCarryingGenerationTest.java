package dev.beesting.operator.policy;

import static dev.beesting.operator.policy.Policies.literal;
import static dev.beesting.operator.policy.Policies.policy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.beesting.api.nodeconfig.CompiledPolicy;
import dev.beesting.api.nodeconfig.NodeConfig;
import dev.beesting.api.v1alpha1.HoneytokenPolicy;
import dev.beesting.api.v1alpha1.HoneytokenPolicyStatus;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FirstCarryingGenerationTest {
    private static final CompiledPolicy V1 =
            new CompiledPolicy("p", "uid-p", 1, List.of(), null, List.of(), null, null, null);

    private final HoneytokenPolicy policy = policy("p", "2025-01-01T00:00:00Z", null, literal("/a", "x"));

    @Test
    void aPolicyVersionNewToTheConfigIsCarriedFromTheGenerationJustWritten() {
        assertThat(since(Optional.of(config(4)), config(5, V1))).isEqualTo(5);
        assertThat(since(Optional.empty(), config(1, V1))).isEqualTo(1);
    }

    @Test
    void theRecordedGenerationIsKeptWhileTheConfigStillCarriesThatVersion() {
        policy.setStatus(status(1, 3));
        assertThat(since(Optional.of(config(6, V1)), config(7, V1))).isEqualTo(3);
    }

    @Test
    void withoutARecordTheStoredGenerationIsTheEarliestProvable() {
        policy.setStatus(status(0, 2)); // recorded for an older policy generation
        assertThat(since(Optional.of(config(6, V1)), config(6, V1))).isEqualTo(6);
    }

    @Test
    void aRejectedPolicyHasNone() {
        assertThat(HoneytokenPolicyReconciler.firstCarryingGeneration(
                        policy, new PolicyOutcome.Rejected("InvalidSpec", "x"), Optional.empty(), config(1)))
                .isNull();
    }

    private Long since(Optional<NodeConfig> before, NodeConfig now) {
        return HoneytokenPolicyReconciler.firstCarryingGeneration(
                policy, new PolicyOutcome.Compiled(V1), before.map(StoredConfig::of), now);
    }

    private static NodeConfig config(long generation, CompiledPolicy... policies) {
        return new NodeConfig(NodeConfig.API_VERSION, generation, List.of(policies));
    }

    private static HoneytokenPolicyStatus status(long observed, long configGeneration) {
        HoneytokenPolicyStatus status = new HoneytokenPolicyStatus();
        status.observedGeneration = observed;
        status.configGeneration = configGeneration;
        return status;
    }
}
