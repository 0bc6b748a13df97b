package dev.beesting.operator.testing;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
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
    /** JUnit tag of the tests that meet an API server: the mock by default, a real one under -Pkube-api-test. */
    public static final String TAG = "kube-api";
    /** JUnit tag of the tests that run only on a real API server (what the mock cannot show). */
    public static final String REAL_ONLY_TAG = "real-kube-api";

    public static final String BINARIES_ENV = "KUBE_API_TEST_DIR";
    /** The namespaces a real cluster has from the start; the mock gets them too, so both look alike. */
    public static final List<String> SYSTEM_NAMESPACES =
            List.of("default", "kube-node-lease", "kube-public", "kube-system");

    private static final Path CRDS = Path.of("../crds");
    // held so the level set on it is not lost to garbage collection
    private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");

    private final KubernetesClient client;
    private final AutoCloseable server;
    private final KubernetesMockServer mock;
    private final String kubeconfig;

    private KubeApi(KubernetesClient client, AutoCloseable server, KubernetesMockServer mock, String kubeconfig) {
        this.client = client;
        this.server = server;
        this.mock = mock;
        this.kubeconfig = kubeconfig;
    }

    public static boolean realServerSelected() {
        return "real".equals(System.getProperty(MODE_PROPERTY));
    }

    /** Starts the selected server, installs the CRDs and creates {@code namespaces}. */
    public static KubeApi start(String... namespaces) {
        KubeApi api = realServerSelected() ? startReal() : startMock();
        try {
            api.installCrds();
            if (api.isReal()) {
                api.installAdmissionPolicies();
            }
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

    /** Starts the selected server as a new cluster has it: no CRDs, nothing of Beesting's. */
    public static KubeApi startEmpty() {
        return realServerSelected() ? startReal() : startMock();
    }

    private static KubeApi startMock() {
        MOCK_LOG.setLevel(Level.WARNING); // it logs every request at INFO
        // CRUD for everything, plus expectations where a test needs an answer the CRUD store cannot give
        Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
        KubernetesMockServer server = new KubernetesMockServer(
                new Context(), new MockWebServer(), expectations, new KubernetesMixedDispatcher(expectations), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        KubernetesClient client = server.createClient();
        SYSTEM_NAMESPACES.forEach(name -> client.resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .build())
                .create());
        return new KubeApi(client, server::destroy, server, null);
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
        return new KubeApi(client, server::stop, null, server.getKubeConfigYaml());
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
        return crdsFolder(".yml");
    }

    /**
     * The admission policy beside the CRDs, on a real server only (the mock enforces none): applied, then awaited until
     * the server enforces it, which it does a moment after the objects exist.
     */
    private void installAdmissionPolicies() {
        for (Path file : crdsFolder(".yaml")) {
            try (var in = Files.newInputStream(file)) {
                client.load(in).items().forEach(item -> client.resource(item).create());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        GenericKubernetesResource probe = new GenericKubernetesResourceBuilder()
                .withApiVersion("beesting.dev/v1alpha1")
                .withKind("HoneytokenPolicy")
                .withNewMetadata()
                .withName("admission-probe")
                .endMetadata()
                .addToAdditionalProperties(
                        "spec",
                        Map.of(
                                "podSelector", Map.of("matchLabels", Map.of("bad key!", "x")),
                                "tokens", List.of(Map.of("path", "/probe", "content", Map.of("value", "x")))))
                .build();
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    try {
                        client.resource(probe).dryRun().create();
                        return false;
                    } catch (KubernetesClientException e) {
                        return e.getCode() == 422 || e.getCode() == 403;
                    }
                });
    }

    private static List<Path> crdsFolder(String suffix) {
        try (Stream<Path> files = Files.list(CRDS)) {
            return files.filter(f -> f.toString().endsWith(suffix)).sorted().toList();
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

    /** A kubeconfig of the real server's admin, for kubectl; empty on the mock. */
    public Optional<String> kubeconfig() {
        return Optional.ofNullable(kubeconfig);
    }

    /** A binary kube-api-test's folder holds next to the server (kubectl), for the real server's tests. */
    public static Path binary(String name) {
        try (Stream<Path> versions = Files.list(Path.of(System.getenv(BINARIES_ENV), "k8s"))) {
            return versions.map(v -> v.resolve(name))
                    .filter(Files::isExecutable)
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no " + name + " under " + BINARIES_ENV));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
