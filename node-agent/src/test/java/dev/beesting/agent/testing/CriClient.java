package dev.beesting.agent.testing;

import com.google.protobuf.ByteString;
import dev.beesting.proto.cri.ContainerConfig;
import dev.beesting.proto.cri.ContainerMetadata;
import dev.beesting.proto.cri.ContainerStatus;
import dev.beesting.proto.cri.ContainerStatusRequest;
import dev.beesting.proto.cri.CreateContainerRequest;
import dev.beesting.proto.cri.ExecSyncRequest;
import dev.beesting.proto.cri.ExecSyncResponse;
import dev.beesting.proto.cri.ImageSpec;
import dev.beesting.proto.cri.LinuxPodSandboxConfig;
import dev.beesting.proto.cri.LinuxSandboxSecurityContext;
import dev.beesting.proto.cri.ListPodSandboxRequest;
import dev.beesting.proto.cri.NamespaceMode;
import dev.beesting.proto.cri.NamespaceOption;
import dev.beesting.proto.cri.PodSandbox;
import dev.beesting.proto.cri.PodSandboxConfig;
import dev.beesting.proto.cri.PodSandboxMetadata;
import dev.beesting.proto.cri.RemoveContainerRequest;
import dev.beesting.proto.cri.RemovePodSandboxRequest;
import dev.beesting.proto.cri.RunPodSandboxRequest;
import dev.beesting.proto.cri.RuntimeServiceGrpc;
import dev.beesting.proto.cri.StartContainerRequest;
import dev.beesting.proto.cri.StopContainerRequest;
import dev.beesting.proto.cri.StopPodSandboxRequest;
import dev.beesting.proto.cri.VersionRequest;
import dev.beesting.proto.cri.VersionResponse;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** Drives a container runtime through CRI the way the kubelet does, for end-to-end tests. */
public final class CriClient implements AutoCloseable {
    private static final long DEADLINE_SECONDS = 30;

    /** A pod the tests created, with the config CRI wants again for each of its containers. */
    public record PodRef(String id, PodSandboxConfig config) {}

    /** What a command run in a container printed and returned. */
    public record ExecResult(int exitCode, String stdout, String stderr) {}

    private final ManagedChannel channel;
    private final RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime;

    public CriClient(Path socket) {
        channel = Grpc.newChannelBuilder("unix://" + socket, InsecureChannelCredentials.create())
                .build();
        runtime = RuntimeServiceGrpc.newBlockingStub(channel);
    }

    private RuntimeServiceGrpc.RuntimeServiceBlockingStub rpc() {
        return runtime.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    public VersionResponse version() {
        return rpc().version(VersionRequest.newBuilder().setVersion("v1").build());
    }

    /** Runs a pod on the host network (no CNI here) without a hostname of its own. */
    public PodRef runPod(String namespace, String name, Map<String, String> labels) {
        PodSandboxConfig config = PodSandboxConfig.newBuilder()
                .setMetadata(PodSandboxMetadata.newBuilder()
                        .setName(name)
                        .setNamespace(namespace)
                        .setUid(UUID.randomUUID().toString()))
                .putAllLabels(labels)
                .setLinux(LinuxPodSandboxConfig.newBuilder()
                        .setSecurityContext(LinuxSandboxSecurityContext.newBuilder()
                                .setNamespaceOptions(
                                        NamespaceOption.newBuilder().setNetwork(NamespaceMode.NODE))))
                .build();
        String id = rpc().runPodSandbox(
                        RunPodSandboxRequest.newBuilder().setConfig(config).build())
                .getPodSandboxId();
        return new PodRef(id, config);
    }

    /** Runs a pod of the given config, for tests that need more than {@link #runPod(String, String, Map)}. */
    public PodRef runPod(PodSandboxConfig config) {
        String id = rpc().runPodSandbox(
                        RunPodSandboxRequest.newBuilder().setConfig(config).build())
                .getPodSandboxId();
        return new PodRef(id, config);
    }

    /** Creates and starts a container of the given config in the pod; returns its id. */
    public String startContainer(PodRef pod, ContainerConfig config) {
        String id = rpc().createContainer(CreateContainerRequest.newBuilder()
                        .setPodSandboxId(pod.id())
                        .setConfig(config)
                        .setSandboxConfig(pod.config())
                        .build())
                .getContainerId();
        rpc().startContainer(
                        StartContainerRequest.newBuilder().setContainerId(id).build());
        return id;
    }

    public ContainerStatus status(String containerId) {
        return rpc().containerStatus(ContainerStatusRequest.newBuilder()
                        .setContainerId(containerId)
                        .build())
                .getStatus();
    }

    /** Creates and starts a container running the image's entrypoint; returns its id. */
    public String startContainer(PodRef pod, String name, String image) {
        String id = rpc().createContainer(CreateContainerRequest.newBuilder()
                        .setPodSandboxId(pod.id())
                        .setConfig(ContainerConfig.newBuilder()
                                .setMetadata(ContainerMetadata.newBuilder().setName(name))
                                .setImage(ImageSpec.newBuilder().setImage(image)))
                        .setSandboxConfig(pod.config())
                        .build())
                .getContainerId();
        rpc().startContainer(
                        StartContainerRequest.newBuilder().setContainerId(id).build());
        return id;
    }

    public ExecResult exec(String containerId, String... command) {
        ExecSyncResponse response = rpc().execSync(ExecSyncRequest.newBuilder()
                .setContainerId(containerId)
                .addAllCmd(List.of(command))
                .setTimeout(10)
                .build());
        return new ExecResult(response.getExitCode(), text(response.getStdout()), text(response.getStderr()));
    }

    public void removeContainer(String containerId) {
        rpc().stopContainer(StopContainerRequest.newBuilder()
                .setContainerId(containerId)
                .setTimeout(0)
                .build());
        rpc().removeContainer(RemoveContainerRequest.newBuilder()
                .setContainerId(containerId)
                .build());
    }

    public void removePod(String podId) {
        rpc().stopPodSandbox(StopPodSandboxRequest.newBuilder()
                .setPodSandboxId(podId)
                .build());
        rpc().removePodSandbox(RemovePodSandboxRequest.newBuilder()
                .setPodSandboxId(podId)
                .build());
    }

    /** Stops and removes every pod, so no shim outlives the runtime. */
    public void removeAllPods() {
        for (PodSandbox pod :
                rpc().listPodSandbox(ListPodSandboxRequest.getDefaultInstance()).getItemsList()) {
            removePod(pod.getId());
        }
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private static String text(ByteString bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
