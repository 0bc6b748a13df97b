package dev.beesting.operator.policy;

import dev.beesting.api.v1alpha1.HoneytokenAlert;
import dev.beesting.api.v1alpha1.HoneytokenPolicy;
import dev.beesting.api.v1alpha1.HoneytokenPolicyStatus;
import dev.beesting.api.v1alpha1.LastAlert;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

/** Builds a policy's status from the reconcile's model; conditions keep their transition time while unchanged. */
public final class PolicyStatusFactory {
    private static final int PENDING_NAMES_SHOWN = 5;

    private final Clock clock;

    public PolicyStatusFactory(Clock clock) {
        this.clock = clock;
    }

    /**
     * @param configGeneration the config generation that first carried this policy generation; null when rejected
     */
    public HoneytokenPolicyStatus status(
            HoneytokenPolicy policy,
            PolicyOutcome outcome,
            Long configGeneration,
            NodeReadiness nodes,
            AlertTally alerts) {
        long generation = Objects.requireNonNullElse(policy.getMetadata().getGeneration(), 0L);
        List<Condition> previous = policy.getStatus() == null ? List.of() : policy.getStatus().conditions;
        HoneytokenPolicyStatus status = new HoneytokenPolicyStatus();
        status.observedGeneration = generation;
        status.configGeneration = configGeneration;
        status.matchedNamespaces = outcome.matchedNamespaces();
        status.nodesReady = nodes.ready();
        status.nodesTotal = nodes.total();
        status.nodes = nodes.ready() + "/" + nodes.total();
        int skipped = nodes.skipped(policy.getMetadata().getName());
        status.skippedTokens = skipped == 0 ? null : skipped;
        status.alerts = alerts.count();
        status.lastAlert = alerts.latest().map(PolicyStatusFactory::lastAlert).orElse(null);
        status.conditions.add(condition(previous, generation, accepted(outcome)));
        status.conditions.add(condition(previous, generation, ready(outcome, configGeneration, nodes)));
        return status;
    }

    private static LastAlert lastAlert(HoneytokenAlert alert) {
        LastAlert last = new LastAlert();
        last.namespace = alert.getMetadata().getNamespace();
        last.name = alert.getMetadata().getName();
        if (alert.getSpec() != null) {
            last.path = alert.getSpec().path;
            last.pod = alert.getSpec().pod == null ? null : alert.getSpec().pod.name;
        }
        last.process = alert.getStatus().process == null ? null : alert.getStatus().process.comm;
        last.lastSeen = alert.getStatus().lastSeen;
        last.count = alert.getStatus().count;
        return last;
    }

    private record Verdict(String type, boolean status, String reason, String message) {}

    private static Verdict accepted(PolicyOutcome outcome) {
        return switch (outcome) {
            case PolicyOutcome.Compiled compiled ->
                new Verdict(
                        PolicyConditions.ACCEPTED,
                        true,
                        PolicyConditions.COMPILED,
                        "compiled into the node configuration for " + compiled.matchedNamespaces()
                                + (compiled.matchedNamespaces() == 1 ? " namespace" : " namespaces"));
            case PolicyOutcome.Rejected(String reason, String message) ->
                new Verdict(PolicyConditions.ACCEPTED, false, reason, message);
        };
    }

    private static Verdict ready(PolicyOutcome outcome, Long configGeneration, NodeReadiness nodes) {
        if (outcome instanceof PolicyOutcome.Rejected) {
            return new Verdict(
                    PolicyConditions.READY,
                    false,
                    PolicyConditions.NOT_ACCEPTED,
                    "the policy is not accepted, so no node runs it");
        }
        if (nodes.total() == 0) {
            return new Verdict(
                    PolicyConditions.READY,
                    false,
                    PolicyConditions.NO_NODES,
                    "no HoneytokenNode reports yet; is the node agent running?");
        }
        String target = "node configuration generation " + configGeneration + " or later";
        if (nodes.ready() == nodes.total()) {
            return new Verdict(
                    PolicyConditions.READY,
                    true,
                    PolicyConditions.ALL_NODES_READY,
                    "all " + nodes.total() + " nodes applied " + target);
        }
        List<String> shown = nodes.pending().stream().limit(PENDING_NAMES_SHOWN).toList();
        String more = nodes.pending().size() > shown.size()
                ? " and " + (nodes.pending().size() - shown.size()) + " more"
                : "";
        return new Verdict(
                PolicyConditions.READY,
                false,
                PolicyConditions.NODES_PENDING,
                nodes.ready() + "/" + nodes.total() + " nodes applied " + target + "; waiting for "
                        + String.join(", ", shown) + more);
    }

    private Condition condition(List<Condition> previous, long generation, Verdict verdict) {
        String status = verdict.status() ? "True" : "False";
        String transition = previous.stream()
                .filter(c -> verdict.type().equals(c.getType()) && status.equals(c.getStatus()))
                .map(Condition::getLastTransitionTime)
                .filter(Objects::nonNull)
                .findFirst()
                .orElseGet(this::now);
        return new ConditionBuilder()
                .withType(verdict.type())
                .withStatus(status)
                .withReason(verdict.reason())
                .withMessage(verdict.message())
                .withObservedGeneration(generation)
                .withLastTransitionTime(transition)
                .build();
    }

    private String now() {
        return DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
    }
}
