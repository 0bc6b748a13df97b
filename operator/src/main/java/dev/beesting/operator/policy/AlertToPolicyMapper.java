package dev.beesting.operator.policy;

import dev.beesting.api.v1alpha1.HoneytokenAlert;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import java.util.Set;

/** An alert was raised, first reported or deleted: the policy it names recounts its alerts and its last access. */
final class AlertToPolicyMapper implements SecondaryToPrimaryMapper<HoneytokenAlert> {
    static final String INDEX = "policy";

    /** Indexes alerts by policy name; registered on the alert informer. */
    static java.util.List<String> policyOf(HoneytokenAlert alert) {
        String policy = policyName(alert);
        return policy == null ? java.util.List.of() : java.util.List.of(policy);
    }

    /** The agent creates an alert, then writes its status: that first status is what lastAlert shows. */
    static boolean firstStatus(HoneytokenAlert newAlert, HoneytokenAlert oldAlert) {
        return lastSeen(oldAlert) == null && lastSeen(newAlert) != null;
    }

    private static String lastSeen(HoneytokenAlert alert) {
        return alert.getStatus() == null ? null : alert.getStatus().lastSeen;
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
