package dev.beesting.operator.policy;

import dev.beesting.api.v1alpha1.HoneytokenPolicy;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Records Kubernetes Events on policies, where {@code kubectl describe htp} shows them. */
public final class PolicyEvents {
    /** Events of cluster-scoped objects live in the default namespace, as the Kubernetes event recorder does. */
    static final String EVENT_NAMESPACE = "default";

    static final String COMPONENT = "beesting-operator";

    private static final Logger LOG = LoggerFactory.getLogger(PolicyEvents.class);

    private final KubernetesClient client;
    private final Clock clock;

    public PolicyEvents(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    public void warning(HoneytokenPolicy policy, String reason, String message) {
        String now = DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
        Event event = new EventBuilder()
                .withNewMetadata()
                .withName(policy.getMetadata().getName() + "." + Long.toHexString(System.nanoTime()))
                .withNamespace(EVENT_NAMESPACE)
                .endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder()
                        .withApiVersion(policy.getApiVersion())
                        .withKind(policy.getKind())
                        .withName(policy.getMetadata().getName())
                        .withUid(policy.getMetadata().getUid())
                        .withResourceVersion(policy.getMetadata().getResourceVersion())
                        .build())
                .withType("Warning")
                .withReason(reason)
                .withMessage(message)
                .withCount(1)
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withNewSource()
                .withComponent(COMPONENT)
                .endSource()
                .withReportingComponent(COMPONENT)
                .build();
        try {
            client.v1().events().inNamespace(EVENT_NAMESPACE).resource(event).create();
        } catch (RuntimeException e) {
            // the condition already carries the message; a lost Event must not fail the reconcile
            LOG.warn(
                    "could not record event policy={} reason={} error={}",
                    policy.getMetadata().getName(),
                    reason,
                    e.toString());
        }
    }
}
