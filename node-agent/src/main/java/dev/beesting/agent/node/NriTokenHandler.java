package dev.beesting.agent.node;

import dev.beesting.agent.model.Workload;
import dev.beesting.agent.nri.plugin.Container;
import dev.beesting.agent.nri.plugin.ContainerAdjustment;
import dev.beesting.agent.nri.plugin.Mount;
import dev.beesting.agent.nri.plugin.NriEvent;
import dev.beesting.agent.nri.plugin.NriHandler;
import dev.beesting.agent.nri.plugin.Pod;
import dev.beesting.agent.nri.plugin.RuntimeInfo;
import dev.beesting.agent.nri.plugin.StateChange;
import dev.beesting.agent.tokens.ContainerMount;
import dev.beesting.agent.tokens.RunningContainer;
import dev.beesting.agent.tokens.TokenMount;
import dev.beesting.agent.tokens.TokenPlanter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge between the runtime and the token store: maps NRI's pods and containers into the agent's model once and
 * answers the runtime's calls with the token planter: mounts for new containers, cleanup for gone ones, and a
 * live reconcile request whenever running containers may lack tokens (after Synchronize, when one starts).
 */
final class NriTokenHandler implements NriHandler {
    private static final Logger LOG = LoggerFactory.getLogger(NriTokenHandler.class);
    /** containerd and CRI-O put the image a container was created from into this annotation. */
    static final String IMAGE_ANNOTATION = "io.kubernetes.cri.image-name";

    private final TokenPlanter planter;
    private final String nodeName;
    private final Runnable reconcileSoon;
    private final Consumer<String> awaitNamespace;
    private final AtomicReference<RuntimeInfo> runtime = new AtomicReference<>();

    /**
     * @param reconcileSoon asks for a live reconcile off the NRI thread (planting into many containers can take
     *     longer than the runtime waits for an answer)
     * @param awaitNamespace waits, briefly and boundedly, for the labels of a namespace the node has not seen yet
     */
    NriTokenHandler(TokenPlanter planter, String nodeName, Runnable reconcileSoon, Consumer<String> awaitNamespace) {
        this.planter = planter;
        this.nodeName = nodeName;
        this.reconcileSoon = reconcileSoon;
        this.awaitNamespace = awaitNamespace;
    }

    /** The runtime of the current connection, or null before the first Configure. */
    RuntimeInfo runtime() {
        return runtime.get();
    }

    @Override
    public Set<NriEvent> configure(RuntimeInfo info) {
        runtime.set(info);
        LOG.info("connected to runtime name={} version={}", info.name(), info.version());
        return Set.of(NriEvent.CREATE_CONTAINER, NriEvent.POST_START_CONTAINER, NriEvent.REMOVE_CONTAINER);
    }

    @Override
    public void synchronize(List<Pod> pods, List<Container> containers) {
        Map<String, Pod> byId = new HashMap<>();
        pods.forEach(p -> byId.put(p.id(), p));
        planter.synchronize(containers.stream()
                .map(c -> {
                    Pod pod = byId.get(c.podSandboxId());
                    int pid = running(c) ? c.pid() : 0;
                    return pod == null
                            ? RunningContainer.withoutPod(nodeName, c.id(), pid)
                            : new RunningContainer(workload(pod, c), mounts(c), pid);
                })
                .toList());
        reconcileSoon.run();
    }

    @Override
    public ContainerAdjustment createContainer(Pod pod, Container container) {
        // a namespace created right before its pod may not have reached the node's view yet; after the wait the pod
        // is matched by what is known, and live reconcile corrects it when the namespace arrives
        awaitNamespace.accept(pod.namespace());
        List<TokenMount> mounts = planter.plant(workload(pod, container), mounts(container));
        if (mounts.isEmpty()) {
            return ContainerAdjustment.none();
        }
        return ContainerAdjustment.mounts(mounts.stream()
                .map(m -> Mount.readOnlyBind(m.source().toString(), m.destination()))
                .toList());
    }

    @Override
    public void stateChanged(StateChange change) {
        if (change instanceof StateChange.ContainerChange(NriEvent event, Pod pod, Container container)) {
            switch (event) {
                case POST_START_CONTAINER -> {
                    if (container.pid() > 0) {
                        planter.started(
                                new RunningContainer(workload(pod, container), mounts(container), container.pid()));
                        reconcileSoon.run();
                    }
                }
                case REMOVE_CONTAINER -> planter.remove(container.id());
                default -> {}
            }
        }
    }

    private static boolean running(Container container) {
        return container.state() == Container.State.RUNNING && container.pid() > 0;
    }

    /** The container's mounts as the token store sees them. */
    static List<ContainerMount> mounts(Container container) {
        return container.mounts().stream()
                .map(m -> new ContainerMount(m.destination(), m.source()))
                .toList();
    }

    /** The one place NRI's pod and container become the agent's model. */
    Workload workload(Pod pod, Container container) {
        return new Workload(
                nodeName,
                pod.namespace(),
                pod.name(),
                pod.uid(),
                pod.labels(),
                container.name(),
                container.id(),
                container.annotations().getOrDefault(IMAGE_ANNOTATION, ""));
    }
}
