package dev.beesting.operator.policy;

import dev.beesting.api.nodeconfig.CompiledPolicy;
import dev.beesting.api.nodeconfig.NodeConfig;
import dev.beesting.api.v1alpha1.HoneytokenAlert;
import dev.beesting.api.v1alpha1.HoneytokenNode;
import dev.beesting.api.v1alpha1.HoneytokenPolicy;
import dev.beesting.api.v1alpha1.HoneytokenPolicyStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Namespace;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles any policy by recompiling all of them into the one node config, then writes that policy's status.
 * Runs on every event including deletes (no finalizer needed: a deleted policy simply drops out of the next config).
 */
@ControllerConfiguration(name = HoneytokenPolicyReconciler.NAME, triggerReconcilerOnAllEvents = true)
public final class HoneytokenPolicyReconciler implements Reconciler<HoneytokenPolicy> {
    public static final String NAME = "honeytokenpolicy";

    private static final Logger LOG = LoggerFactory.getLogger(HoneytokenPolicyReconciler.class);

    /**
     * While a rollout is under way, a policy's status is written at most this often (each node's report would
     * otherwise be a write of its own, a thousand per edit at a thousand nodes); any other change, and the rollout's
     * end, at once.
     */
    static final java.time.Duration ROLLOUT_STATUS_INTERVAL = java.time.Duration.ofSeconds(1);

    private final String operatorNamespace;
    private final NodeConfigCompiler compiler;
    private final PolicyStatusFactory statusFactory;
    private final PolicyEvents events;
    private final CompilationListener listener;
    private final NodeConfigDependentResource nodeConfig;
    private final PolicyObjects policyObjects;
    private final String clusterName;
    private volatile ClusterView view;
    private final Map<String, Long> rolloutWrites = new ConcurrentHashMap<>(); // policy -> System.nanoTime()

    /** Told about every compilation, for metrics. */
    public interface CompilationListener {
        void compiled(CompilationResult result, long nanos);
    }

    public HoneytokenPolicyReconciler(
            String operatorNamespace,
            String clusterName,
            NodeConfigCompiler compiler,
            PolicyStatusFactory statusFactory,
            PolicyEvents events,
            CompilationListener listener) {
        this(
                operatorNamespace,
                dev.beesting.api.nodeconfig.PolicyObject.DEFAULT_NAMESPACE,
                clusterName,
                compiler,
                statusFactory,
                events,
                listener);
    }

    /** With the namespace of format v4's per-policy objects. */
    public HoneytokenPolicyReconciler(
            String operatorNamespace,
            String policyNamespace,
            String clusterName,
            NodeConfigCompiler compiler,
            PolicyStatusFactory statusFactory,
            PolicyEvents events,
            CompilationListener listener) {
        this.policyObjects = new PolicyObjects(policyNamespace);
        this.operatorNamespace = operatorNamespace;
        this.clusterName = clusterName;
        this.compiler = compiler;
        this.statusFactory = statusFactory;
        this.events = events;
        this.listener = listener;
        this.nodeConfig = new NodeConfigDependentResource(operatorNamespace);
    }

    @Override
    public List<EventSource<?, HoneytokenPolicy>> prepareEventSources(EventSourceContext<HoneytokenPolicy> context) {
        var policies = context.getPrimaryCache();
        policies.addIndexer(SecretToPolicyMapper.INDEX, SecretToPolicyMapper::referencedSecrets);

        var namespaces = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(Namespace.class, HoneytokenPolicy.class)
                        .withName("namespaces")
                        .withSecondaryToPrimaryMapper(new NamespaceToPolicyMapper(policies))
                        .withOnUpdateFilter(NamespaceToPolicyMapper::labelsChanged)
                        .build(),
                context);
        // the mapper counts the nodes of the cache it serves, which exists only once built
        var nodeCache = new java.util.concurrent.atomic.AtomicReference<
                InformerEventSource<HoneytokenNode, HoneytokenPolicy>>();
        var nodes = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(HoneytokenNode.class, HoneytokenPolicy.class)
                        .withName("nodes")
                        .withSecondaryToPrimaryMapper(new NodeToPolicyMapper(
                                policies, () -> (int) nodeCache.get().list().count()))
                        .withOnUpdateFilter(NodeToPolicyMapper::generationChanged)
                        .build(),
                context);
        nodeCache.set(nodes);
        var alerts = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(HoneytokenAlert.class, HoneytokenPolicy.class)
                        .withName("alerts")
                        .withWatchAllNamespaces()
                        .withSecondaryToPrimaryMapper(new AlertToPolicyMapper())
                        // the count changes on create and delete; lastAlert when the agent first writes a status.
                        // Later updates (counts, every 10 s per alert at most) would recompile for nothing
                        .withOnUpdateFilter(AlertToPolicyMapper::firstStatus)
                        .build(),
                context);
        alerts.addIndexer(AlertToPolicyMapper.INDEX, AlertToPolicyMapper::policyOf);
        var secrets = nodeConfig.eventSource(context).orElseThrow();
        view = new ClusterView(operatorNamespace, policyObjects, clusterName, nodeConfig, namespaces, nodes, alerts);
        List<EventSource<?, HoneytokenPolicy>> sources = new java.util.ArrayList<>(List.of(namespaces, nodes, alerts));
        sources.add(secrets);
        // an informer that cannot start stops the operator: watch the policy objects only where their namespace (and
        // with it their RBAC) is installed; an installation without it keeps format v2
        if (context.getClient().namespaces().withName(policyObjects.namespace()).get() != null) {
            sources.add(policyObjects.eventSource(context));
        } else {
            LOG.info(
                    "no namespace for node config v4, storing v2; create it and restart the operator to use v4"
                            + " namespace={}",
                    policyObjects.namespace());
        }
        return sources;
    }

    @Override
    public UpdateControl<HoneytokenPolicy> reconcile(HoneytokenPolicy policy, Context<HoneytokenPolicy> context) {
        String name = policy.getMetadata().getName();
        long started = System.nanoTime();
        PolicyInputs inputs = view.inputs(context.getPrimaryCache().list());
        CompilationResult result = compiler.compile(inputs);
        listener.compiled(result, System.nanoTime() - started);
        context.managedWorkflowAndDependentResourceContext().put(NodeConfigDependentResource.MODEL_KEY, result);
        // format v4: the objects first, the index that names them last, then away with what it no longer names
        if (result.formats().v4()) {
            policyObjects.writeChanged(context.getClient(), result);
        }
        var written = nodeConfig.reconcile(policy, context);
        if (written.getSingleOperation()
                != io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult.Operation.NONE) {
            LOG.info(
                    "node config written generation={} policies={} bytes={} formats={} trigger={}",
                    result.config().generation(),
                    result.config().policies().size(),
                    result.bytes(),
                    result.formats().names(),
                    name);
        }
        if (result.formats().v4()) {
            policyObjects.deleteUnlisted(context.getClient(), result);
        }
        if (context.isPrimaryResourceDeleted()) {
            rolloutWrites.remove(name);
            LOG.info("policy deleted, left out of the node config policy={}", name);
            return UpdateControl.noUpdate();
        }

        PolicyOutcome outcome = result.outcome(name);
        Long since = firstCarryingGeneration(policy, outcome, inputs.before(), result.config());
        HoneytokenPolicyStatus status =
                statusFactory.status(policy, outcome, since, view.readiness(since), view.alerts(name));
        announceRejection(policy, status);
        if (sameStatus(policy.getStatus(), status)) {
            return UpdateControl.noUpdate();
        }
        if (rolloutProgressOnly(policy.getStatus(), status)) {
            long now = System.nanoTime();
            Long last = rolloutWrites.get(name);
            long wait = last == null ? 0 : ROLLOUT_STATUS_INTERVAL.toNanos() - (now - last);
            if (wait > 0) {
                return UpdateControl.<HoneytokenPolicy>noUpdate().rescheduleAfter(java.time.Duration.ofNanos(wait));
            }
            rolloutWrites.put(name, now);
        }
        policy.setStatus(status);
        // replace the status (PUT on the status subresource, optimistic locking) rather than merge-patch it: a
        // merge patch replaces lists on a real API server but appends them on the fabric8 mock, which left stale
        // conditions behind; a conflict is thrown and the framework retries
        context.getClient().resource(policy).updateStatus();
        return UpdateControl.noUpdate();
    }

    /**
     * The config generation that first carried this policy's generation: kept from the status while the stored config
     * before this reconcile already carried it; if another reconcile wrote it, that stored generation (the earliest
     * this reconcile can prove, so readiness is never claimed early); else the generation just written.
     */
    static Long firstCarryingGeneration(
            HoneytokenPolicy policy, PolicyOutcome outcome, Optional<StoredConfig> before, NodeConfig now) {
        if (!(outcome instanceof PolicyOutcome.Compiled(CompiledPolicy compiled))) {
            return null;
        }
        // the hash covers the policy's uid, generation and resolved content: an equal one carried exactly this
        CompiledPolicy v2Form = compiled.withSelector(policy.getSpec().namespaceSelector);
        boolean carriedBefore = before.map(stored -> stored.holds(v2Form)).orElse(false);
        if (!carriedBefore) {
            return now.generation();
        }
        HoneytokenPolicyStatus previous = policy.getStatus();
        if (previous != null
                && previous.configGeneration != null
                && Objects.equals(previous.observedGeneration, compiled.generation())
                && previous.configGeneration <= before.get().generation()) {
            return previous.configGeneration;
        }
        return before.get().generation();
    }

    /** A Warning Event when the policy becomes unaccepted or the reason it is unaccepted changes. */
    private void announceRejection(HoneytokenPolicy policy, HoneytokenPolicyStatus status) {
        Condition now = accepted(status);
        if (now == null || !"False".equals(now.getStatus())) {
            return;
        }
        Condition before = policy.getStatus() == null ? null : accepted(policy.getStatus());
        boolean news = before == null
                || !"False".equals(before.getStatus())
                || !Objects.equals(before.getReason(), now.getReason())
                || !Objects.equals(before.getMessage(), now.getMessage());
        if (news) {
            LOG.info(
                    "policy not accepted policy={} reason={} message={}",
                    policy.getMetadata().getName(),
                    now.getReason(),
                    now.getMessage());
            events.warning(policy, now.getReason(), now.getMessage());
        }
    }

    private static Condition accepted(HoneytokenPolicyStatus status) {
        return status.conditions.stream()
                .filter(c -> PolicyConditions.ACCEPTED.equals(c.getType()))
                .findFirst()
                .orElse(null);
    }

    /**
     * Whether {@code next} differs from {@code previous} only in how many nodes are ready for the same policy and config
     * generation, with some still pending: a rollout in progress.
     */
    static boolean rolloutProgressOnly(HoneytokenPolicyStatus previous, HoneytokenPolicyStatus next) {
        if (previous == null
                || next.nodesReady == null
                || next.nodesTotal == null
                || next.nodesReady >= next.nodesTotal) {
            return false;
        }
        var mapper = io.fabric8.kubernetes.client.utils.Serialization.jsonMapper();
        return withoutProgress(mapper.valueToTree(previous)).equals(withoutProgress(mapper.valueToTree(next)));
    }

    private static com.fasterxml.jackson.databind.JsonNode withoutProgress(
            com.fasterxml.jackson.databind.JsonNode status) {
        var object = (com.fasterxml.jackson.databind.node.ObjectNode) status;
        object.remove(List.of("nodesReady", "nodes"));
        for (var condition : object.path("conditions")) {
            if (PolicyConditions.READY.equals(condition.path("type").asText())) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) condition).remove("message");
            }
        }
        return object;
    }

    private static boolean sameStatus(HoneytokenPolicyStatus a, HoneytokenPolicyStatus b) {
        var mapper = io.fabric8.kubernetes.client.utils.Serialization.jsonMapper();
        return a != null && mapper.valueToTree(a).equals(mapper.valueToTree(b));
    }
}
