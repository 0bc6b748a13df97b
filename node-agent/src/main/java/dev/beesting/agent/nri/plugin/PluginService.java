package dev.beesting.agent.nri.plugin;

import dev.beesting.agent.nri.ttrpc.TtrpcServer;
import dev.beesting.agent.nri.ttrpc.TtrpcStatusException;
import dev.beesting.proto.nri.ConfigureRequest;
import dev.beesting.proto.nri.ConfigureResponse;
import dev.beesting.proto.nri.CreateContainerRequest;
import dev.beesting.proto.nri.CreateContainerResponse;
import dev.beesting.proto.nri.Empty;
import dev.beesting.proto.nri.StateChangeEvent;
import dev.beesting.proto.nri.StopContainerRequest;
import dev.beesting.proto.nri.StopContainerResponse;
import dev.beesting.proto.nri.SynchronizeRequest;
import dev.beesting.proto.nri.SynchronizeResponse;
import dev.beesting.proto.nri.UpdateContainerRequest;
import dev.beesting.proto.nri.UpdateContainerResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The NRI {@code Plugin} ttrpc service of one connection: turns runtime calls into {@link NriHandler} calls and
 * their answers into responses, failing open (see the handler contract).
 */
final class PluginService {
    static final String SERVICE = "nri.pkg.api.v1alpha1.Plugin";

    private static final Logger log = LoggerFactory.getLogger(PluginService.class);

    private final NriHandler handler;
    private final HandlerGuard guard;
    private final NriStats stats;

    // chunks of a split Synchronize; the runtime sends them one after another on one connection
    private final List<Pod> syncPods = new ArrayList<>();
    private final List<Container> syncContainers = new ArrayList<>();

    PluginService(NriHandler handler, HandlerGuard guard, NriStats stats) {
        this.handler = handler;
        this.guard = guard;
        this.stats = stats;
    }

    Map<String, TtrpcServer.Method> methods() {
        return Map.of(
                SERVICE + "/Configure", TtrpcServer.unary(ConfigureRequest.parser(), this::configure),
                SERVICE + "/Synchronize", TtrpcServer.unary(SynchronizeRequest.parser(), this::synchronize),
                SERVICE + "/CreateContainer", TtrpcServer.unary(CreateContainerRequest.parser(), this::create),
                SERVICE + "/UpdateContainer", TtrpcServer.unary(UpdateContainerRequest.parser(), this::update),
                SERVICE + "/StopContainer", TtrpcServer.unary(StopContainerRequest.parser(), this::stop),
                SERVICE + "/StateChange", TtrpcServer.unary(StateChangeEvent.parser(), this::stateChange),
                SERVICE + "/Shutdown", TtrpcServer.unary(Empty.parser(), this::shutdown));
    }

    private ConfigureResponse configure(ConfigureRequest request) throws TtrpcStatusException {
        RuntimeInfo runtime = NriMapping.runtime(request);
        guard.fitInto(runtime.requestTimeout());
        Set<NriEvent> events = guard.call("configure", () -> handler.configure(runtime), Set.of());
        if (events == null || events.isEmpty()) {
            // an empty mask would subscribe us to everything; refuse instead, the stub will retry
            throw new TtrpcStatusException(TtrpcStatusException.INTERNAL, "plugin has no event subscription");
        }
        log.info(
                "NRI configured runtime={} version={} events={} budget={}",
                runtime.name(),
                runtime.version(),
                events,
                guard.budget());
        return ConfigureResponse.newBuilder().setEvents(NriEvent.mask(events)).build();
    }

    private synchronized SynchronizeResponse synchronize(SynchronizeRequest request) {
        request.getPodsList().forEach(pod -> syncPods.add(NriMapping.pod(pod)));
        request.getContainersList().forEach(c -> syncContainers.add(NriMapping.container(c)));
        if (request.getMore()) {
            // NRI 0.8+: acknowledge a chunk by echoing "more" and asking for no updates
            return SynchronizeResponse.newBuilder().setMore(true).build();
        }
        List<Pod> pods = List.copyOf(syncPods);
        List<Container> containers = List.copyOf(syncContainers);
        syncPods.clear();
        syncContainers.clear();
        log.info("NRI synchronize pods={} containers={}", pods.size(), containers.size());
        guard.run("synchronize", () -> handler.synchronize(pods, containers));
        stats.synchronizedAll();
        return SynchronizeResponse.getDefaultInstance();
    }

    private CreateContainerResponse create(CreateContainerRequest request) {
        stats.createContainerCalled();
        Pod pod = NriMapping.pod(request.getPod());
        Container container = NriMapping.container(request.getContainer());
        ContainerAdjustment adjustment = guard.call(
                "create-container", () -> handler.createContainer(pod, container), ContainerAdjustment.none());
        if (adjustment == null || adjustment.isEmpty()) {
            return CreateContainerResponse.getDefaultInstance();
        }
        return CreateContainerResponse.newBuilder()
                .setAdjust(NriMapping.adjustment(adjustment))
                .build();
    }

    private UpdateContainerResponse update(UpdateContainerRequest request) {
        // resource updates are not ours to change
        return UpdateContainerResponse.getDefaultInstance();
    }

    private StopContainerResponse stop(StopContainerRequest request) {
        StateChange change = new StateChange.ContainerChange(
                NriEvent.STOP_CONTAINER,
                NriMapping.pod(request.getPod()),
                NriMapping.container(request.getContainer()));
        guard.run("stop-container", () -> handler.stateChanged(change));
        return StopContainerResponse.getDefaultInstance();
    }

    private Empty stateChange(StateChangeEvent event) {
        NriEvent type;
        try {
            type = NriEvent.of(event.getEventValue());
        } catch (IllegalArgumentException e) {
            log.debug("ignoring state change of unknown event={}", event.getEventValue());
            return Empty.getDefaultInstance();
        }
        Pod pod = NriMapping.pod(event.getPod());
        StateChange change = event.hasContainer()
                ? new StateChange.ContainerChange(type, pod, NriMapping.container(event.getContainer()))
                : new StateChange.PodChange(type, pod);
        guard.run("state-change", () -> handler.stateChanged(change));
        return Empty.getDefaultInstance();
    }

    private Empty shutdown(Empty request) {
        // the runtime closes the connection next; the plugin then reconnects with backoff
        log.info("NRI runtime is shutting down");
        guard.run("shutdown", handler::shutdown);
        return Empty.getDefaultInstance();
    }
}
