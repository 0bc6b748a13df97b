package dev.beesting.e2e;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.ArrayList;
import java.util.List;

/** What one service account may do, from the RBAC objects of a kustomization. */
final class RbacRules {
    private record Scoped(String namespace, PolicyRule rule) {}

    private final List<Scoped> rules = new ArrayList<>();

    RbacRules(List<HasMetadata> objects, String namespace, String serviceAccount) {
        for (HasMetadata object : objects) {
            switch (object) {
                case ClusterRoleBinding binding
                when bound(binding.getSubjects(), namespace, serviceAccount) ->
                    clusterRole(objects, binding.getRoleRef().getName())
                            .getRules()
                            .forEach(r -> rules.add(new Scoped("", r)));
                case RoleBinding binding
                when bound(binding.getSubjects(), namespace, serviceAccount) ->
                    role(
                                    objects,
                                    binding.getRoleRef().getName(),
                                    binding.getMetadata().getNamespace())
                            .getRules()
                            .forEach(r ->
                                    rules.add(new Scoped(binding.getMetadata().getNamespace(), r)));
                default -> {}
            }
        }
    }

    boolean allows(ApiCallRecorder.Call call) {
        return rules.stream()
                .anyMatch(s -> (s.namespace().isEmpty() || s.namespace().equals(call.namespace()))
                        && s.rule().getApiGroups().contains(call.group())
                        && s.rule().getResources().contains(call.resource())
                        && s.rule().getVerbs().contains(call.verb())
                        && (s.rule().getResourceNames() == null
                                || s.rule().getResourceNames().isEmpty()
                                || s.rule().getResourceNames().contains(call.name())));
    }

    private static boolean bound(List<Subject> subjects, String namespace, String serviceAccount) {
        return subjects.stream()
                .anyMatch(s -> "ServiceAccount".equals(s.getKind())
                        && serviceAccount.equals(s.getName())
                        && namespace.equals(s.getNamespace()));
    }

    private static ClusterRole clusterRole(List<HasMetadata> objects, String name) {
        return objects.stream()
                .filter(o ->
                        o instanceof ClusterRole && o.getMetadata().getName().equals(name))
                .map(ClusterRole.class::cast)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no ClusterRole " + name));
    }

    private static Role role(List<HasMetadata> objects, String name, String namespace) {
        return objects.stream()
                .filter(o -> o instanceof Role
                        && o.getMetadata().getName().equals(name)
                        && o.getMetadata().getNamespace().equals(namespace))
                .map(Role.class::cast)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no Role " + namespace + "/" + name));
    }
}
