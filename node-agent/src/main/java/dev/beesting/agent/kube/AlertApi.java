package dev.beesting.agent.kube;

import dev.beesting.api.v1alpha1.HoneytokenAlert;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.HttpURLConnection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The API calls behind {@link AlertWriter}. Updates are JSON (merge) patches without a resourceVersion: the agent
 * is the only writer of these objects, and such patches work on every API server (no server-side apply). Patches go
 * through {@code resource(item)} of an object that holds only the name: fabric8 reads the whole object from the
 * server before a patch selected {@code withName}, a GET per write that nothing here needs.
 */
final class AlertApi {
    private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);
    private static final PatchContext JSON_PATCH = PatchContext.of(PatchType.JSON);

    private final KubernetesClient client;
    private final AtomicLong requests = new AtomicLong();

    AlertApi(KubernetesClient client) {
        this.client = client;
    }

    long requests() {
        return requests.get();
    }

    /**
     * Creates the alert; if an object of that name already exists (from before an agent restart, or squatted by
     * someone else) returns it, for the caller to judge.
     */
    Optional<HoneytokenAlert> createAlert(AlertRecord record) {
        HoneytokenAlert alert = AlertResources.alert(record);
        try {
            requests.incrementAndGet();
            client.resources(HoneytokenAlert.class).resource(alert).create();
            return Optional.empty();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
        }
        requests.incrementAndGet();
        HoneytokenAlert existing = client.resources(HoneytokenAlert.class)
                .inNamespace(record.key().namespace())
                .withName(record.objectName())
                .get();
        if (existing == null) {
            // deleted between our create and get: the next round creates it
            throw new KubernetesClientException(
                    "alert vanished while being adopted", HttpURLConnection.HTTP_CONFLICT, null);
        }
        return Optional.of(existing);
    }

    /** Writes the status through the status subresource; false if the alert does not exist. */
    boolean patchAlertStatus(AlertRecord record) {
        // a JSON patch that sets the whole status: a merge patch would do, but some API server fakes merge lists
        // instead of replacing them, and "add" replaces an existing member on every server
        String patch = Serialization.asJson(
                List.of(Map.of("op", "add", "path", "/status", "value", AlertResources.status(record))));
        return notFoundAsFalse(() -> client.resources(HoneytokenAlert.class)
                .resource(named(new HoneytokenAlert(), record))
                .subresource("status")
                .patch(JSON_PATCH, patch));
    }

    /** Updates count, time and message of the Pod's Event; false if it does not exist (Events expire). */
    boolean patchEvent(AlertRecord record) {
        String patch = Serialization.asJson(AlertResources.eventUpdate(record));
        return notFoundAsFalse(
                () -> client.v1().events().resource(named(new Event(), record)).patch(MERGE, patch));
    }

    boolean createOrPatchEvent(AlertRecord record) {
        Event event = AlertResources.event(record);
        try {
            requests.incrementAndGet();
            client.v1().events().resource(event).create();
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
        }
        return patchEvent(record);
    }

    /** {@code object} naming the record's alert (or Event) and nothing else: the target of a patch. */
    private static <T extends HasMetadata> T named(T object, AlertRecord record) {
        ObjectMeta metadata = new ObjectMeta();
        metadata.setNamespace(record.key().namespace());
        metadata.setName(record.objectName());
        object.setMetadata(metadata);
        return object;
    }

    private boolean notFoundAsFalse(Runnable call) {
        try {
            requests.incrementAndGet();
            call.run();
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }
}
