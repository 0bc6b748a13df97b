package dev.beesting.operator.policy;

import dev.beesting.api.nodeconfig.NodeConfig;
import dev.beesting.api.v1alpha1.HoneytokenPolicy;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import java.util.Optional;

/**
 * The one Secret {@code beesting-node-config}, shared by all policies: rendered purely from the reconcile's
 * {@link CompilationResult}. It carries no owner reference (no single policy owns it) and is never deleted with a
 * policy. Its informer watches every Secret of the operator namespace, so it also serves referenced Secrets.
 */
public final class NodeConfigDependentResource extends KubernetesDependentResource<Secret, HoneytokenPolicy>
        implements Creator<Secret, HoneytokenPolicy>, Updater<Secret, HoneytokenPolicy> {
    static final String MODEL_KEY = CompilationResult.class.getName();

    private final String namespace;

    public NodeConfigDependentResource(String namespace) {
        super(Secret.class);
        this.namespace = namespace;
    }

    /** The model this reconcile computed; reconcile() puts it into the context before reconciling this dependent. */
    static CompilationResult model(Context<HoneytokenPolicy> context) {
        return context.managedWorkflowAndDependentResourceContext().getMandatory(MODEL_KEY, CompilationResult.class);
    }

    @Override
    protected Secret desired(HoneytokenPolicy primary, Context<HoneytokenPolicy> context) {
        return NodeConfigSecret.render(namespace, model(context));
    }

    @Override
    public Matcher.Result<Secret> match(
            Secret actual, Secret desired, HoneytokenPolicy primary, Context<HoneytokenPolicy> context) {
        return Matcher.Result.computed(NodeConfigSecret.sameContent(actual, desired), desired);
    }

    @Override
    public Matcher.Result<Secret> match(Secret actual, HoneytokenPolicy primary, Context<HoneytokenPolicy> context) {
        return match(actual, desired(primary, context), primary, context);
    }

    @Override
    public Optional<Secret> getSecondaryResource(HoneytokenPolicy primary, Context<HoneytokenPolicy> context) {
        return stored();
    }

    @Override
    protected ResourceID targetSecondaryResourceID(HoneytokenPolicy primary, Context<HoneytokenPolicy> context) {
        return id();
    }

    /** The stored Secret, including what this operator wrote a moment ago and the informer has not seen yet. */
    Optional<Secret> stored() {
        return eventSource().orElseThrow().get(id());
    }

    /** A referenced Secret of the operator namespace, from the same cache. */
    Optional<Secret> secret(String name) {
        return eventSource().orElseThrow().get(new ResourceID(name, namespace));
    }

    java.util.stream.Stream<Secret> secrets() {
        return eventSource().orElseThrow().list();
    }

    @Override
    protected void addReferenceHandlingMetadata(Secret desired, HoneytokenPolicy primary) {
        // shared by every policy: neither an owner reference nor a primary annotation fits
    }

    @Override
    protected InformerEventSourceConfiguration.Builder<Secret> informerConfigurationBuilder(
            EventSourceContext<HoneytokenPolicy> context) {
        return super.informerConfigurationBuilder(context)
                .withNamespaces(java.util.Set.of(namespace))
                .withOnUpdateFilter(SecretToPolicyMapper::relevantUpdate);
    }

    @Override
    protected Optional<SecondaryToPrimaryMapper<Secret>> getSecondaryToPrimaryMapper(
            EventSourceContext<HoneytokenPolicy> context) {
        return Optional.of(new SecretToPolicyMapper(context.getPrimaryCache()));
    }

    private ResourceID id() {
        return new ResourceID(NodeConfig.SECRET_NAME, namespace);
    }
}
