package dev.beesting.e2e;

import dev.beesting.proto.cri.Capability;
import dev.beesting.proto.cri.ContainerConfig;
import dev.beesting.proto.cri.ContainerMetadata;
import dev.beesting.proto.cri.ImageSpec;
import dev.beesting.proto.cri.Int64Value;
import dev.beesting.proto.cri.KeyValue;
import dev.beesting.proto.cri.LinuxContainerConfig;
import dev.beesting.proto.cri.LinuxContainerSecurityContext;
import dev.beesting.proto.cri.LinuxPodSandboxConfig;
import dev.beesting.proto.cri.LinuxSandboxSecurityContext;
import dev.beesting.proto.cri.Mount;
import dev.beesting.proto.cri.NamespaceMode;
import dev.beesting.proto.cri.NamespaceOption;
import dev.beesting.proto.cri.PodSandboxConfig;
import dev.beesting.proto.cri.PodSandboxMetadata;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;

/**
 * Turns a pod spec into the CRI requests a kubelet would send for it, so a test runs a container with exactly the
 * privileges and mounts a manifest declares.
 */
final class PodSpecToCri {
    private final PodSpec pod;
    private final Function<String, Path> hostPaths;
    private final Path emptyDirs;

    /**
     * @param hostPaths where each hostPath volume's path is on this machine (tests keep system folders untouched)
     * @param emptyDirs the folder that stands for the kubelet's emptyDir volumes
     */
    PodSpecToCri(PodSpec pod, Function<String, Path> hostPaths, Path emptyDirs) {
        this.pod = pod;
        this.hostPaths = hostPaths;
        this.emptyDirs = emptyDirs;
    }

    /** The sandbox; on the host network because these machines have no CNI, whatever the spec says. */
    PodSandboxConfig sandbox(String namespace, String name, Path logDirectory) {
        return PodSandboxConfig.newBuilder()
                .setMetadata(PodSandboxMetadata.newBuilder()
                        .setName(name)
                        .setNamespace(namespace)
                        .setUid(UUID.randomUUID().toString()))
                .setLogDirectory(logDirectory.toString())
                .setLinux(LinuxPodSandboxConfig.newBuilder()
                        .setSecurityContext(
                                LinuxSandboxSecurityContext.newBuilder().setNamespaceOptions(namespaces())))
                .build();
    }

    /** The first container of the spec with other args, as the kubelet would create it. */
    ContainerConfig container(String image, List<String> args, String logPath) {
        return container(image, args, Map.of(), logPath);
    }

    /** The same with environment variables (the kubelet resolves the spec's fieldRefs; tests name the values). */
    ContainerConfig container(String image, List<String> args, Map<String, String> env, String logPath) {
        Container container = pod.getContainers().getFirst();
        return ContainerConfig.newBuilder()
                .addAllEnvs(env.entrySet().stream()
                        .map(e -> KeyValue.newBuilder()
                                .setKey(e.getKey())
                                .setValue(e.getValue())
                                .build())
                        .toList())
                .setMetadata(ContainerMetadata.newBuilder().setName(container.getName()))
                .setImage(ImageSpec.newBuilder().setImage(image))
                .addAllArgs(args)
                .addAllMounts(
                        container.getVolumeMounts().stream().map(this::mount).toList())
                .setLogPath(logPath)
                .setLinux(
                        LinuxContainerConfig.newBuilder().setSecurityContext(security(container.getSecurityContext())))
                .build();
    }

    private NamespaceOption namespaces() {
        return NamespaceOption.newBuilder()
                .setNetwork(NamespaceMode.NODE)
                .setPid(Boolean.TRUE.equals(pod.getHostPID()) ? NamespaceMode.NODE : NamespaceMode.CONTAINER)
                .build();
    }

    // the kubelet's mapping: capability names as written (the runtime adds CAP_), allowPrivilegeEscalation=false
    // becomes no_new_privs, and the pod's namespaces are repeated for the container
    private LinuxContainerSecurityContext security(SecurityContext security) {
        LinuxContainerSecurityContext.Builder cri =
                LinuxContainerSecurityContext.newBuilder().setNamespaceOptions(namespaces());
        if (security == null) {
            return cri.build();
        }
        if (security.getCapabilities() != null) {
            cri.setCapabilities(Capability.newBuilder()
                    .addAllAddCapabilities(Objects.requireNonNullElse(
                            security.getCapabilities().getAdd(), List.of()))
                    .addAllDropCapabilities(Objects.requireNonNullElse(
                            security.getCapabilities().getDrop(), List.of())));
        }
        cri.setPrivileged(Boolean.TRUE.equals(security.getPrivileged()));
        cri.setReadonlyRootfs(Boolean.TRUE.equals(security.getReadOnlyRootFilesystem()));
        cri.setNoNewPrivs(Boolean.FALSE.equals(security.getAllowPrivilegeEscalation()));
        Long user = security.getRunAsUser() != null
                ? security.getRunAsUser()
                : pod.getSecurityContext() != null ? pod.getSecurityContext().getRunAsUser() : null;
        if (user != null) {
            cri.setRunAsUser(Int64Value.newBuilder().setValue(user));
        }
        return cri.build();
    }

    private Mount mount(VolumeMount mount) {
        Volume volume = pod.getVolumes().stream()
                .filter(v -> v.getName().equals(mount.getName()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no volume " + mount.getName()));
        Path host;
        if (volume.getHostPath() != null) {
            host = hostPaths.apply(volume.getHostPath().getPath());
        } else if (volume.getEmptyDir() != null) {
            host = directory(emptyDirs.resolve(volume.getName()));
        } else {
            throw new IllegalArgumentException("volume " + volume.getName() + " is neither hostPath nor emptyDir");
        }
        return Mount.newBuilder()
                .setContainerPath(mount.getMountPath())
                .setHostPath(host.toString())
                .setReadonly(Boolean.TRUE.equals(mount.getReadOnly()))
                .build();
    }

    private static Path directory(Path path) {
        try {
            return Files.createDirectories(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
