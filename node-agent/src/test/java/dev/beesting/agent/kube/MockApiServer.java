package dev.beesting.agent.kube;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The fabric8 mock API server in CRUD mode with the project's generated CRDs registered, on loopback. It can be
 * stopped and started again on the same port with its objects kept, to play an API server outage.
 */
final class MockApiServer implements AutoCloseable {
    private final KubernetesCrudDispatcher crud = new KubernetesCrudDispatcher(List.of());
    private volatile Function<RecordedRequest, MockResponse> override = request -> null;
    private final List<String> requests = new ArrayList<>(); // guarded by itself
    // answers what the test overrides, the CRUD store everything else
    private final Dispatcher dispatcher = new Dispatcher() {
        @Override
        public MockResponse dispatch(RecordedRequest request) {
            synchronized (requests) {
                requests.add(request.getMethod() + " " + request.getPath());
            }
            MockResponse answer = override.apply(request);
            return answer != null ? answer : crud.dispatch(request);
        }
    };
    private KubernetesMockServer server;
    private int port;

    MockApiServer() {
        start(0);
        try (KubernetesClient admin = client()) {
            for (Path crd : crdFiles()) {
                try (InputStream in = Files.newInputStream(crd)) {
                    admin.apiextensions()
                            .v1()
                            .customResourceDefinitions()
                            .resource(admin.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class))
                            .create();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        takeRequests();
    }

    private void start(int wanted) {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
        server.init(InetAddress.getLoopbackAddress(), wanted);
        port = server.getPort();
    }

    private static List<Path> crdFiles() {
        try (Stream<Path> files = Files.list(Path.of("..", "crds"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".yml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A client that fails fast when the server is down: the agent's writers do their own retrying. */
    KubernetesClient client() {
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl("http://127.0.0.1:" + port)
                .withNamespace("beesting-system")
                .withRequestRetryBackoffLimit(0)
                .withConnectionTimeout(2_000)
                .withRequestTimeout(5_000)
                .build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /** Answers requests that match with {@code code} and a Kubernetes Status carrying {@code message}. */
    void fail(Predicate<RecordedRequest> which, int code, String message) {
        String status = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":" + code
                + ",\"message\":\"" + message + "\"}";
        override = request -> which.test(request)
                ? new MockResponse()
                        .setResponseCode(code)
                        .setHeader("Content-Type", "application/json")
                        .setBody(status)
                : null;
    }

    /** The requests served since the last call (or the CRDs' registration), as "METHOD path?query", in order. */
    List<String> takeRequests() {
        synchronized (requests) {
            List<String> taken = List.copyOf(requests);
            requests.clear();
            return taken;
        }
    }

    void stop() {
        server.destroy();
    }

    /** Starts again on the same port, with every object it held. */
    void restart() {
        start(port);
    }

    @Override
    public void close() {
        server.destroy();
    }
}
