package dev.beesting.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every kustomization of config/ builds, parses, and deploys Beesting with least privilege. */
class DeploymentConfigIT {

    @ParameterizedTest
    @ValueSource(strings = {"crd", "rbac", "admission", "operator", "agent", "default", "monitoring"})
    void kustomizationBuildsIntoParsableObjects(String kustomization) throws Exception {
        List<HasMetadata> objects = Kustomize.build(kustomization);
        assertThat(objects)
                .isNotEmpty()
                .allSatisfy(o -> assertThat(o.getMetadata().getName()).isNotBlank());
    }

    @Test
    void rbacNamesEveryVerbAndResource() throws Exception {
        List<PolicyRule> rules = Kustomize.build("rbac").stream()
                .flatMap(o -> switch (o) {
                    case ClusterRole role -> role.getRules().stream();
                    case Role role -> role.getRules().stream();
                    default -> Stream.empty();
                })
                .toList();
        assertThat(rules).isNotEmpty().allSatisfy(rule -> {
            assertThat(rule.getVerbs()).doesNotContain("*");
            assertThat(rule.getResources()).doesNotContain("*");
            assertThat(rule.getApiGroups()).doesNotContain("*");
        });
    }

    @Test
    void agentRunsWithHostPidAndOnlyTheCapabilitiesTheDetectorsNeed() throws Exception {
        DaemonSet agent = Kustomize.build("default").stream()
                .filter(DaemonSet.class::isInstance)
                .map(DaemonSet.class::cast)
                .findFirst()
                .orElseThrow();
        var pod = agent.getSpec().getTemplate().getSpec();
        assertThat(pod.getHostPID()).isTrue();
        assertThat(pod.getTolerations())
                .anySatisfy(t -> assertThat(t.getOperator()).isEqualTo("Exists"));
        Container container = pod.getContainers().getFirst();
        var security = container.getSecurityContext();
        assertThat(security.getPrivileged()).isFalse();
        assertThat(security.getReadOnlyRootFilesystem()).isTrue();
        assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(security.getCapabilities().getAdd())
                .containsExactlyInAnyOrder("BPF", "PERFMON", "SYS_ADMIN", "SYS_PTRACE", "DAC_OVERRIDE");
        // the NRI socket's folder, never the socket file, which goes stale when containerd restarts
        assertThat(pod.getVolumes())
                .filteredOn(v -> v.getHostPath() != null)
                .anySatisfy(v -> assertThat(v.getHostPath().getPath()).isEqualTo("/var/run/nri"))
                .noneSatisfy(v -> assertThat(v.getHostPath().getType()).isEqualTo("Socket"));
        assertThat(container.getResources().getLimits()).containsKeys("cpu", "memory");
    }

    @Test
    void operatorRunsTwoNonRootReplicasWithProbes() throws Exception {
        Deployment operator = deployment("beesting-operator");
        assertThat(operator.getSpec().getReplicas()).isEqualTo(2);
        var pod = operator.getSpec().getTemplate().getSpec();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        Container container = pod.getContainers().getFirst();
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getLivenessProbe()).isNotNull();
        assertThat(container.getReadinessProbe()).isNotNull();
    }

    @Test
    void decoyRunsNonRootReadOnlyAsItsOwnServiceAccountBehindAService() throws Exception {
        Deployment decoy = deployment("beesting-decoy");
        var pod = decoy.getSpec().getTemplate().getSpec();
        assertThat(pod.getServiceAccountName()).isEqualTo("beesting-decoy");
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        Container container = pod.getContainers().getFirst();
        assertThat(container.getArgs()).contains("decoy");
        assertThat(container.getImage())
                .isEqualTo(deployment("beesting-operator")
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .getFirst()
                        .getImage());
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(container.getLivenessProbe()).isNotNull();
        var service = Kustomize.build("default").stream()
                .filter(io.fabric8.kubernetes.api.model.Service.class::isInstance)
                .map(io.fabric8.kubernetes.api.model.Service.class::cast)
                .filter(s -> s.getMetadata().getName().equals("beesting-decoy"))
                .findFirst()
                .orElseThrow();
        assertThat(service.getSpec().getPorts().getFirst().getPort()).isEqualTo(443);
    }

    @Test
    void policyObjectsNamespaceIsReadByAgentsWrittenByTheOperatorAndHoldsNothingElse() throws Exception {
        List<HasMetadata> objects = Kustomize.build("default");
        assertThat(objects)
                .extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
                .contains("Namespace/beesting-node-config");
        assertThat(objects)
                .filteredOn(o -> "beesting-node-config".equals(o.getMetadata().getNamespace()))
                .as("only RBAC is installed there: the operator's per-policy Secrets are its only content")
                .extracting(HasMetadata::getKind)
                .containsOnly("Role", "RoleBinding");
        RbacRules agent = new RbacRules(objects, "beesting-system", "beesting-agent");
        RbacRules operator = new RbacRules(objects, "beesting-system", "beesting-operator");
        for (String verb : List.of("get", "list", "watch")) {
            assertThat(agent.allows(call(verb, "", "secrets", "beesting-node-config", "")))
                    .isTrue();
        }
        for (String verb : List.of("get", "list", "watch", "create", "update", "patch", "delete")) {
            assertThat(operator.allows(call(verb, "", "secrets", "beesting-node-config", "")))
                    .isTrue();
        }
        for (ApiCallRecorder.Call denied : List.of(
                call("create", "", "secrets", "beesting-node-config", ""),
                call("update", "", "secrets", "beesting-node-config", "beesting-policy-a-0123456789"),
                call("delete", "", "secrets", "beesting-node-config", "beesting-policy-a-0123456789"),
                call("list", "", "secrets", "beesting-system", ""),
                call("watch", "", "secrets", "beesting-system", ""),
                call("list", "", "secrets", "cms", ""))) {
            assertThat(agent.allows(denied)).as(denied.toString()).isFalse();
        }
    }

    @Test
    void decoyMayOnlyTouchItsOwnSecretsAndWriteAlertsAndEvents() throws Exception {
        RbacRules decoy = new RbacRules(Kustomize.build("default"), "beesting-system", "beesting-decoy");
        for (String name : List.of("beesting-decoy-key", "beesting-decoy-tls")) {
            assertThat(decoy.allows(call("get", "", "secrets", "beesting-system", name)))
                    .isTrue();
            assertThat(decoy.allows(call("update", "", "secrets", "beesting-system", name)))
                    .isTrue();
        }
        assertThat(decoy.allows(call("create", "", "secrets", "beesting-system", "")))
                .isTrue();
        assertThat(decoy.allows(call("create", "beesting.dev", "honeytokenalerts", "cms", "")))
                .isTrue();
        assertThat(decoy.allows(call("get", "beesting.dev", "honeytokenalerts", "cms", "a")))
                .isTrue();
        assertThat(decoy.allows(call("patch", "beesting.dev", "honeytokenalerts/status", "cms", "a")))
                .isTrue();
        assertThat(decoy.allows(call("create", "", "events", "cms", ""))).isTrue();
        for (ApiCallRecorder.Call denied : List.of(
                call("get", "", "secrets", "beesting-system", "beesting-node-config"),
                call("list", "", "secrets", "beesting-system", ""),
                call("watch", "", "secrets", "beesting-system", ""),
                call("get", "", "secrets", "cms", "beesting-decoy-key"),
                call("delete", "", "secrets", "beesting-system", "beesting-decoy-key"),
                call("patch", "beesting.dev", "honeytokenalerts", "cms", "a"),
                call("list", "beesting.dev", "honeytokenalerts", "cms", ""),
                call("list", "", "pods", "cms", ""),
                call("delete", "beesting.dev", "honeytokenalerts", "cms", "a"),
                call("patch", "beesting.dev", "honeytokenpolicies", "", "p"),
                call("create", "", "pods", "cms", ""))) {
            assertThat(decoy.allows(denied)).as(denied.toString()).isFalse();
        }
    }

    private static ApiCallRecorder.Call call(
            String verb, String group, String resource, String namespace, String name) {
        return new ApiCallRecorder.Call(verb, group, resource, namespace, name);
    }

    private static Deployment deployment(String name) throws Exception {
        return Kustomize.build("default").stream()
                .filter(Deployment.class::isInstance)
                .map(Deployment.class::cast)
                .filter(d -> d.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow();
    }
}
