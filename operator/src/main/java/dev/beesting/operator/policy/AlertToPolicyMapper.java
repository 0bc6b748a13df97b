package dev.beesting.operator.policy;

import dev.beesting.api.v1alpha1.HoneytokenAlert;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import java.util.Set;

/** An alert was raised or deleted: the policy it names recounts its alerts. */
final class AlertToPolicyMapper implements SecondaryToPrimaryMapper<HoneytokenAlert> {
    static final String INDEX = "policy";

    /** Indexes alerts by policy name; registered on the alert informer. */
    static java.util.List<String> policyOf(HoneytokenAlert alert) {
        String policy = policyName(alert);
        return policy == null ? java.util.List.of() : java.util.List.of(policy);
    }

    @Override
    public Set<ResourceID> toPrimaryResourceIDs(HoneytokenAlert alert) {
        String policy = policyName(alert);
        // policies are cluster-scoped: their ids carry no namespace
        return policy == null ? Set.of() : Set.of(new ResourceID(policy));
    }

    private static String policyName(HoneytokenAlert alert) {
        return alert.getSpec() == null ? null : alert.getSpec().policy;
    }
}
