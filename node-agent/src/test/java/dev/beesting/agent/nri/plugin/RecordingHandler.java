package dev.beesting.agent.nri.plugin;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;

/** A handler for tests: records every call and answers CreateContainer with a replaceable function. */
final class RecordingHandler implements NriHandler {
    /** One complete Synchronize round. */
    record Sync(List<Pod> pods, List<Container> containers) {}

    final List<RuntimeInfo> configured = new CopyOnWriteArrayList<>();
    final List<Sync> synced = new CopyOnWriteArrayList<>();
    final List<Container> created = new CopyOnWriteArrayList<>();
    final List<StateChange> changes = new CopyOnWriteArrayList<>();
    volatile Set<NriEvent> events = EnumSet.of(NriEvent.CREATE_CONTAINER, NriEvent.REMOVE_CONTAINER);
    volatile BiFunction<Pod, Container, ContainerAdjustment> onCreate = (pod, c) -> ContainerAdjustment.none();

    @Override
    public Set<NriEvent> configure(RuntimeInfo runtime) {
        configured.add(runtime);
        return events;
    }

    @Override
    public void synchronize(List<Pod> pods, List<Container> containers) {
        synced.add(new Sync(pods, containers));
    }

    @Override
    public ContainerAdjustment createContainer(Pod pod, Container container) {
        created.add(container);
        return onCreate.apply(pod, container);
    }

    @Override
    public void stateChanged(StateChange change) {
        changes.add(change);
    }
}
