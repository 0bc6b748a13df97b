package dev.beesting.agent.node;

import dev.beesting.agent.nri.plugin.Container;
import dev.beesting.agent.nri.plugin.ContainerAdjustment;
import dev.beesting.agent.nri.plugin.NriEvent;
import dev.beesting.agent.nri.plugin.NriHandler;
import dev.beesting.agent.nri.plugin.Pod;
import dev.beesting.agent.nri.plugin.RuntimeInfo;
import dev.beesting.agent.nri.plugin.StateChange;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/** Measures how long the agent takes to answer each NRI request, for the latency histogram. */
final class TimedNriHandler implements NriHandler {
    private final NriHandler delegate;
    private final BiConsumer<String, Duration> observer;

    TimedNriHandler(NriHandler delegate, BiConsumer<String, Duration> observer) {
        this.delegate = delegate;
        this.observer = observer;
    }

    @Override
    public Set<NriEvent> configure(RuntimeInfo runtime) {
        long start = System.nanoTime();
        try {
            return delegate.configure(runtime);
        } finally {
            observe("Configure", start);
        }
    }

    @Override
    public void synchronize(List<Pod> pods, List<Container> containers) {
        long start = System.nanoTime();
        try {
            delegate.synchronize(pods, containers);
        } finally {
            observe("Synchronize", start);
        }
    }

    @Override
    public ContainerAdjustment createContainer(Pod pod, Container container) {
        long start = System.nanoTime();
        try {
            return delegate.createContainer(pod, container);
        } finally {
            observe("CreateContainer", start);
        }
    }

    @Override
    public void stateChanged(StateChange change) {
        long start = System.nanoTime();
        try {
            delegate.stateChanged(change);
        } finally {
            observe("StateChange", start);
        }
    }

    @Override
    public void shutdown() {
        delegate.shutdown();
    }

    private void observe(String method, long start) {
        observer.accept(method, Duration.ofNanos(System.nanoTime() - start));
    }
}
