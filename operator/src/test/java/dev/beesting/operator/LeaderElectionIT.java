package dev.beesting.operator;

import static org.awaitility.Awaitility.await;

import dev.beesting.operator.testing.KubeApi;
import dev.beesting.operator.testing.OperatorHarness;
import dev.beesting.operator.testing.TestPolicies;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRuleBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Two replicas share a Lease: one reconciles, and the other takes over when it goes. */
@Tag(KubeApi.TAG)
class LeaderElectionIT {
    private static final String NS = OperatorHarness.NAMESPACE;

    private KubeApi api;
    private BeestingOperator first;
    private BeestingOperator second;

    @BeforeEach
    void start() {
        api = KubeApi.start(NS);
        // JOSDK asks whether it may use Leases before electing; the mock's CRUD store cannot answer that
        api.mock()
                .ifPresent(mock -> mock.expect()
                        .post()
                        .withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                        .andReturn(
                                201,
                                new SelfSubjectRulesReviewBuilder()
                                        .withNewStatus()
                                        .withIncomplete(false)
                                        .withResourceRules(new ResourceRuleBuilder()
                                                .withApiGroups("coordination.k8s.io")
                                                .withResources("leases")
                                                .withVerbs("*")
                                                .build())
                                        .endStatus()
                                        .build())
                        .always());
        first = replica("replica-a");
        second = replica("replica-b");
    }

    @AfterEach
    void stop() {
        if (first != null) {
            first.close();
        }
        if (second != null) {
            second.close();
        }
        api.close();
    }

    @Test
    void whenTheLeaderStopsTheOtherReplicaTakesOverReconciling() {
        api.client().resource(TestPolicies.literal("one")).create();
        TestPolicies.awaitConfigHolding(api.client(), NS, "one");
        String leader = await().atMost(OperatorHarness.PATIENCE)
                .until(this::holder, Optional::isPresent)
                .orElseThrow();

        if (leader.equals("replica-a")) {
            first.close();
            first = null;
        } else {
            second.close();
            second = null;
        }
        await().atMost(Duration.ofSeconds(45))
                .until(() -> holder().filter(h -> !h.equals(leader)).isPresent());
        api.client().resource(TestPolicies.literal("two")).create();
        TestPolicies.awaitConfigHolding(api.client(), NS, "two");
    }

    private BeestingOperator replica(String identity) {
        OperatorSettings settings = new OperatorSettings(
                NS, true, OperatorSettings.DEFAULT_LEASE, identity, Optional.empty(), Optional.empty());
        return new BeestingOperator(api.client(), settings, Clock.systemUTC()).start();
    }

    private Optional<String> holder() {
        Lease lease = api.client()
                .leases()
                .inNamespace(NS)
                .withName(OperatorSettings.DEFAULT_LEASE)
                .get();
        return Optional.ofNullable(lease)
                .map(l -> l.getSpec().getHolderIdentity())
                .filter(h -> !h.isBlank());
    }
}
