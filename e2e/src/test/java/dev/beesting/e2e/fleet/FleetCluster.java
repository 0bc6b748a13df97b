package dev.beesting.e2e.fleet;

import dev.beesting.api.nodeconfig.NodeConfig;
import dev.beesting.api.v1alpha1.HoneytokenPolicy;
import dev.beesting.e2e.ServiceAccounts;
import dev.beesting.operator.testing.StoredNodeConfig;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * The objects of a fleet of the benchmark's size on a real API server, made with the admin client: namespaces in ten
 * label groups, policies that select all of them or one group, and per node the agent's pod-bound token.
 */
final class FleetCluster {
    static final String GROUP_LABEL = "fleet.beesting.dev/group";
    static final String MEMBER_LABEL = "fleet.beesting.dev/member";
    static final int GROUPS = 10;
    private static final int PARALLEL = 8;

    private final KubernetesClient admin;

    FleetCluster(KubernetesClient admin) {
        this.admin = admin;
    }

    static String namespace(int i) {
        return String.format("fleet-ns-%05d", i);
    }

    static String policy(int p) {
        return String.format("fleet-policy-%03d", p);
    }

    static String node(int n) {
        return String.format("fleet-node-%04d", n);
    }

    static String group(int g) {
        return "g" + g;
    }

    /** Namespace i is in group i mod 10. */
    void createNamespaces(int count) {
        parallel(
                count,
                i -> () -> admin.resource(new NamespaceBuilder()
                                .withNewMetadata()
                                .withName(namespace(i))
                                .withLabels(Map.of(GROUP_LABEL, group(i % GROUPS), MEMBER_LABEL, "true"))
                                .endMetadata()
                                .build())
                        .create());
    }

    /**
     * Every tenth policy (0, 10, …) selects every fleet namespace, the others one group each, so a policy matches
     * either all namespaces or a tenth of them. Each plants a per-container template and a literal.
     */
    void createPolicies(int count) {
        parallel(count, p -> () -> admin.resource(policyObject(p, 0)).create());
    }

    /** Changes the literal token of policy {@code p}: one policy edit, as a user's {@code kubectl apply}. */
    void editPolicy(int p, int edit) {
        HoneytokenPolicy wanted = policyObject(p, edit);
        admin.resources(HoneytokenPolicy.class).withName(policy(p)).edit(existing -> {
            existing.setSpec(wanted.getSpec());
            return existing;
        });
    }

    /** Moves namespace {@code i} into group {@code g}: one {@code kubectl label ns --overwrite}. */
    void relabel(int i, int g) {
        admin.namespaces().withName(namespace(i)).edit(ns -> {
            Map<String, String> labels = new HashMap<>(ns.getMetadata().getLabels());
            labels.put(GROUP_LABEL, group(g));
            ns.getMetadata().setLabels(labels);
            return ns;
        });
    }

    private static HoneytokenPolicy policyObject(int p, int edit) {
        String selector = p % GROUPS == 0 ? MEMBER_LABEL + ": \"true\"" : GROUP_LABEL + ": " + group(p % GROUPS);
        String yaml = """
                apiVersion: beesting.dev/v1alpha1
                kind: HoneytokenPolicy
                metadata:
                  name: %s
                spec:
                  namespaceSelector:
                    matchLabels:
                      %s
                  tokens:
                    - path: %s
                      content:
                        template: "{{awsAccessKeyId}}"
                    - path: /etc/fleet/%s.conf
                      mode: "0400"
                      content:
                        value: "edit %d: password=%s"
                  severity: high
                """.formatted(policy(p), selector, SimulatedNode.TOKEN_PATH, policy(p), edit, "x".repeat(64));
        return Serialization.unmarshal(yaml, HoneytokenPolicy.class);
    }

    /** The RBAC and ServiceAccounts of {@code config/default}. */
    void installRbac(boolean policyObjects) {
        ServiceAccounts.installRbac(admin, policyObjects);
    }

    /** A token of the operator's ServiceAccount. */
    String operatorToken() {
        return ServiceAccounts.token(admin, ServiceAccounts.OPERATOR);
    }

    /**
     * Per node, a token of the agent's ServiceAccount bound to a pod of the DaemonSet on that node, as the kubelet
     * mounts it (the alert admission policy checks the node it names).
     */
    List<String> agentTokens(int nodes) {
        return parallel(nodes, n -> () -> ServiceAccounts.nodeBoundToken(admin, node(n)));
    }

    /** A client config holding {@code token} and no client certificate. */
    Config withToken(String token) {
        return new ConfigBuilder(admin.getConfiguration())
                .withClientCertData(null)
                .withClientCertFile(null)
                .withClientKeyData(null)
                .withClientKeyFile(null)
                .withUsername(null)
                .withPassword(null)
                .withOauthToken(token)
                .build();
    }

    /** The stored node config Secret, if any. */
    Secret configSecret() {
        return admin.secrets()
                .inNamespace(ServiceAccounts.NAMESPACE)
                .withName(NodeConfig.SECRET_NAME)
                .get();
    }

    /** The generation of the stored config: with v4, what an agent holding the index and every object reports. */
    long configGeneration() {
        return StoredNodeConfig.read(admin, ServiceAccounts.NAMESPACE)
                .map(NodeConfig::generation)
                .orElse(0L);
    }

    /**
     * The size of policy {@code p}: its HoneytokenPolicy as the API server serves it (JSON, as a watch event carries it:
     * status and managed fields included), the same without status and managed fields, and, with v4, its compiled
     * document as its object stores it; 0 where there is none.
     */
    long[] policyBytes(int p) {
        HoneytokenPolicy stored =
                admin.resources(HoneytokenPolicy.class).withName(policy(p)).get();
        long served = utf8(Serialization.asJson(stored));
        stored.getMetadata().setManagedFields(null);
        stored.setStatus(null);
        var object =
                StoredNodeConfig.objects(admin).get(dev.beesting.api.nodeconfig.PolicyObject.secretName(policy(p)));
        return new long[] {served, utf8(Serialization.asJson(stored)), object == null ? 0 : utf8(object.document())};
    }

    private static long utf8(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    /** Bytes of the config document (decoded) and of the Secret as JSON, as a watch event carries it. */
    long[] configBytes() {
        Secret secret = configSecret();
        if (secret == null) {
            return new long[] {0, 0};
        }
        // every format stored (v2, and v1 while a node reads it)
        long documents = secret.getData().values().stream()
                .mapToLong(value -> Base64.getDecoder().decode(value).length)
                .sum();
        return new long[] {documents, Serialization.asJson(secret).length()};
    }

    /** The formats the node config Secret holds now, e.g. "v4", "v2+v4", or "v1+v2" without the v4 namespace. */
    String storedFormats() {
        Secret secret = configSecret();
        if (secret == null || secret.getData() == null) {
            return "none";
        }
        List<String> formats = new ArrayList<>();
        if (secret.getData().containsKey(NodeConfig.SECRET_KEY)) {
            formats.add("v1");
        }
        if (secret.getData().containsKey(NodeConfig.SECRET_KEY_V2)) {
            formats.add("v2");
        }
        if (secret.getData().containsKey(NodeConfig.SECRET_KEY_V4)) {
            formats.add("v4");
        }
        return String.join("+", formats);
    }

    /** Runs {@code task(i)} for i in [0, count) on a few threads; the first failure ends the run. */
    static <T> List<T> parallel(int count, IntFunction<java.util.concurrent.Callable<T>> task) {
        try (ExecutorService pool = Executors.newFixedThreadPool(PARALLEL)) {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                futures.add(pool.submit(task.apply(i)));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("fleet setup failed: " + e.getCause(), e.getCause());
        }
    }
}
