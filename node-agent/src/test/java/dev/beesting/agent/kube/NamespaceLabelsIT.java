package dev.beesting.agent.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beesting.agent.tokens.NamespaceLabelSource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NamespaceLabelsIT {
    private final MockApiServer apiServer = new MockApiServer();
    private final KubernetesClient client = apiServer.client();

    @AfterEach
    void stop() {
        client.close();
        apiServer.close();
    }

    private void write(String name, Map<String, String> labels) {
        Namespace namespace = new NamespaceBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(labels)
                .endMetadata()
                .build();
        client.resource(namespace).createOr(existing -> existing.update());
    }

    private static Map<String, String> labels(String name, String... keyValues) {
        Map<String, String> labels = new java.util.HashMap<>(Map.of(NamespaceLabelSource.NAME_LABEL, name));
        for (int i = 0; i < keyValues.length; i += 2) {
            labels.put(keyValues[i], keyValues[i + 1]);
        }
        return labels;
    }

    @Test
    void followsNamespacesAddedRelabeledAndDeletedAndTellsOfEveryAddAndRelabel() {
        // the mock server does not set the name label as the API server does: the view adds it
        write("shop", Map.of("team", "payments"));
        AtomicInteger changes = new AtomicInteger();
        try (NamespaceLabels view = NamespaceLabels.start(client)) {
            view.onChange(changes::incrementAndGet);
            await().until(view::synced);
            await().until(() -> view.labels("shop").isPresent());
            assertThat(view.labels("shop")).contains(labels("shop", "team", "payments"));
            assertThat(view.labels("absent")).isEmpty();

            int before = changes.get();
            write("blog", Map.of("team", "web"));
            await().until(() -> view.labels("blog").equals(Optional.of(labels("blog", "team", "web"))));
            await().until(() -> changes.get() > before);

            int beforeRelabel = changes.get();
            write("shop", Map.of("team", "payments", "env", "prod"));
            await().until(() ->
                    view.labels("shop").equals(Optional.of(labels("shop", "team", "payments", "env", "prod"))));
            await().until(() -> changes.get() > beforeRelabel);

            // an update that leaves the labels as they are (an annotation) asks for no reconcile
            int beforeAnnotation = changes.get();
            client.namespaces()
                    .withName("shop")
                    .edit(ns -> new NamespaceBuilder(ns)
                            .editMetadata()
                            .addToAnnotations("note", "x")
                            .endMetadata()
                            .build());
            await().during(Duration.ofMillis(300))
                    .atMost(Duration.ofSeconds(2))
                    .until(() -> changes.get() == beforeAnnotation);

            client.namespaces().withName("blog").delete();
            await().until(() -> view.labels("blog").isEmpty());
            assertThat(view.size()).isEqualTo(1);
        }
    }

    @Test
    void anApiServerThatRefusesTheFirstListDoesNotStopTheViewWhichRetries() {
        write("shop", Map.of("team", "payments"));
        apiServer.fail(request -> request.getPath().contains("/namespaces"), 403, "namespaces is forbidden");
        try (NamespaceLabels view = NamespaceLabels.start(client)) {
            assertThat(view.synced()).isFalse();
            // not synced: nothing says a namespace is new, so CreateContainer does not wait
            long start = System.nanoTime();
            view.awaitNamespace("shop", Duration.ofSeconds(5));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
            assertThat(view.labelsOf("shop")).isEqualTo(labels("shop"));

            apiServer.fail(request -> false, 503, "");
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> view.labels("shop").isPresent());
            assertThat(view.labelsOf("shop")).isEqualTo(labels("shop", "team", "payments"));
        }
    }

    @Test
    void awaitingANamespaceCreatedJustNowReturnsOnceItArrivesAndGivesUpAfterTheBound() throws Exception {
        try (NamespaceLabels view = NamespaceLabels.start(client)) {
            await().until(view::synced);

            long start = System.nanoTime();
            view.awaitNamespace("never", Duration.ofMillis(200));
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(200))
                    .isLessThan(Duration.ofSeconds(2));

            CompletableFuture<Long> waited = CompletableFuture.supplyAsync(() -> {
                long t = System.nanoTime();
                view.awaitNamespace("new", Duration.ofSeconds(20));
                return System.nanoTime() - t;
            });
            Thread.sleep(100);
            write("new", Map.of("team", "x"));
            assertThat(Duration.ofNanos(waited.get())).isLessThan(Duration.ofSeconds(10));
            assertThat(view.labels("new")).isPresent();
        }
    }
}
