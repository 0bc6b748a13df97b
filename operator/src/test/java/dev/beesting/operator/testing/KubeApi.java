package dev.beesting.operator.testing;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The API server of an integration test, with the generated CRDs installed: the fabric8 mock server in CRUD mode by
 * default; with {@code -Pkube-api-test} a real kube-apiserver + etcd from {@code KUBE_API_TEST_DIR}, offline.
 */
public final class KubeApi implements AutoCloseable {
    public static final String MODE_PROPERTY = "beesting.kubeApi";
    public static final String BINARIES_ENV = "KUBE_API_TEST_DIR";
    private static final Path CRDS = Path.of("../crds");
    // held so the level set on it is not lost to garbage collection
    private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");

    private final KubernetesClient client;
    private final AutoCloseable server;
    private final KubernetesMockServer mock;

    private KubeApi(KubernetesClient client, AutoCloseable server, KubernetesMockServer mock) {
        this.client = client;
        this.server = server;
        this.mock = mock;
    }

    public static boolean realServerSelected() {
        return "real".equals(System.getProperty(MODE_PROPERTY));
    }

    /** Starts the selected server, installs the CRDs and creates {@code namespaces}. */
    public static KubeApi start(String... namespaces) {
        KubeApi api = realServerSelected() ? startReal() : startMock();
        try {
            api.installCrds();
            for (String namespace : namespaces) {
                api.client
                        .resource(new NamespaceBuilder()
                                .withNewMetadata()
                                .withName(namespace)
                                .endMetadata()
                                .build())
                        .create();
            }
            return api;
        } catch (RuntimeException e) {
            api.close();
            throw e;
        }
    }

    private static KubeApi startMock() {
        MOCK_LOG.setLevel(Level.WARNING); // it logs every request at INFO
        // CRUD for everything, plus expectations where a test needs an answer the CRUD store cannot give
        Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
        KubernetesMockServer server = new KubernetesMockServer(
                new Context(), new MockWebServer(), expectations, new KubernetesMixedDispatcher(expectations), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        return new KubeApi(server.createClient(), server::destroy, server);
    }

    private static KubeApi startReal() {
        String dir = System.getenv(BINARIES_ENV);
        if (dir == null || dir.isBlank()) {
            throw new IllegalStateException(BINARIES_ENV + " must name the folder holding the kube-apiserver and etcd"
                    + " binaries (the layout kube-api-test downloads into) for -Pkube-api-test");
        }
        // offline through the Java API: the environment-variable form of offline mode breaks in 7.5.x
        KubeAPIServer server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withOfflineMode(true)
                .withTestDir(dir)
                .withUpdateKubeConfig(false)
                .build());
        server.start();
        KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(server.getKubeConfigYaml()))
                .build();
        return new KubeApi(client, server::stop, null);
    }

    private void installCrds() {
        for (Path file : crdFiles()) {
            CustomResourceDefinition crd = client.apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .load(file.toFile())
                    .item();
            client.resource(crd).create();
            if (isReal()) {
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> client
                                .apiextensions()
                                .v1()
                                .customResourceDefinitions()
                                .withName(crd.getMetadata().getName())
                                .get()
                                .getStatus()
                                .getConditions()
                                .stream()
                                .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus())));
            }
        }
    }

    static List<Path> crdFiles() {
        try (Stream<Path> files = Files.list(CRDS)) {
            return files.filter(f -> f.toString().endsWith(".yml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public KubernetesClient client() {
        return client;
    }

    /** Whether this is a real API server (which evaluates the CRDs' CEL rules and folds stringData). */
    public boolean isReal() {
        return mock == null;
    }

    /** The mock server, for expectations; empty on a real API server. */
    public Optional<KubernetesMockServer> mock() {
        return Optional.ofNullable(mock);
    }

    @Override
    public void close() {
        client.close();
        try {
            server.close();
        } catch (Exception e) {
            throw new IllegalStateException("failed to stop the test API server", e);
        }
    }
}
