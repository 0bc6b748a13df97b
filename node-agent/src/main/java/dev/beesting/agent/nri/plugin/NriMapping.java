package dev.beesting.agent.nri.plugin;

import dev.beesting.proto.nri.ConfigureRequest;
import dev.beesting.proto.nri.PodSandbox;
import java.time.Duration;

/** Converts between NRI's wire messages and the handler's records. */
final class NriMapping {
    private static final Duration DEFAULT_REGISTRATION_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(2);

    private NriMapping() {}

    static Pod pod(PodSandbox pod) {
        return new Pod(
                pod.getId(),
                pod.getName(),
                pod.getNamespace(),
                pod.getUid(),
                pod.getLabelsMap(),
                pod.getAnnotationsMap(),
                pod.getRuntimeHandler());
    }

    static Container container(dev.beesting.proto.nri.Container container) {
        return new Container(
                container.getId(),
                container.getPodSandboxId(),
                container.getName(),
                state(container.getState()),
                container.getLabelsMap(),
                container.getAnnotationsMap(),
                container.getArgsList(),
                container.getMountsList().stream().map(NriMapping::mount).toList(),
                container.getPid());
    }

    static Mount mount(dev.beesting.proto.nri.Mount mount) {
        return new Mount(mount.getDestination(), mount.getType(), mount.getSource(), mount.getOptionsList());
    }

    static dev.beesting.proto.nri.Mount mount(Mount mount) {
        return dev.beesting.proto.nri.Mount.newBuilder()
                .setDestination(mount.destination())
                .setType(mount.type())
                .setSource(mount.source())
                .addAllOptions(mount.options())
                .build();
    }

    static dev.beesting.proto.nri.ContainerAdjustment adjustment(ContainerAdjustment adjustment) {
        return dev.beesting.proto.nri.ContainerAdjustment.newBuilder()
                .addAllMounts(
                        adjustment.mounts().stream().map(NriMapping::mount).toList())
                .putAllAnnotations(adjustment.annotations())
                .build();
    }

    static RuntimeInfo runtime(ConfigureRequest request) {
        return new RuntimeInfo(
                request.getRuntimeName(),
                request.getRuntimeVersion(),
                request.getConfig(),
                millisOr(request.getRegistrationTimeout(), DEFAULT_REGISTRATION_TIMEOUT),
                millisOr(request.getRequestTimeout(), DEFAULT_REQUEST_TIMEOUT));
    }

    private static Duration millisOr(long millis, Duration fallback) {
        return millis > 0 ? Duration.ofMillis(millis) : fallback;
    }

    private static Container.State state(dev.beesting.proto.nri.ContainerState state) {
        return switch (state) {
            case CONTAINER_CREATED -> Container.State.CREATED;
            case CONTAINER_PAUSED -> Container.State.PAUSED;
            case CONTAINER_RUNNING -> Container.State.RUNNING;
            case CONTAINER_STOPPED -> Container.State.STOPPED;
            case CONTAINER_UNKNOWN, UNRECOGNIZED -> Container.State.UNKNOWN;
        };
    }
}
