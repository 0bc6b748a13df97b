package dev.beesting.agent.nri.plugin;

import java.util.List;
import java.util.Set;

/**
 * What the NRI plugin stub asks of the agent; the stub owns the protocol, the handler owns the decisions.
 *
 * <h2>Contract</h2>
 *
 * <ul>
 *   <li><b>Fail open.</b> Nothing a handler does may fail a user's container. The stub catches every exception
 *       thrown by {@link #createContainer}, {@link #synchronize}, {@link #stateChanged} and {@link #shutdown},
 *       logs it, counts it in {@link NriStats} and answers the runtime as if the handler had returned
 *       {@link ContainerAdjustment#none()} (or nothing).
 *   <li><b>Time budget.</b> Each call gets a budget well inside the runtime's request timeout (2 s by default; the
 *       stub uses at most half of it, see {@link NriPluginConfig#handlerBudget()}). A call still running when its
 *       budget ends is interrupted and its result is discarded: the runtime has already been answered with no
 *       adjustment. A handler that prepared something for a {@code createContainer} whose answer was discarded
 *       will see the container without its mounts (in a later {@link #synchronize} or a
 *       {@link NriEvent#REMOVE_CONTAINER} change) and must clean up then.
 *   <li><b>Threads.</b> Calls arrive on virtual threads, possibly concurrently (for different containers), and
 *       may block on I/O. The handler synchronises its own state.
 *   <li><b>Reconnects.</b> After the runtime restarts or the connection breaks, the stub reconnects with backoff;
 *       the runtime then calls {@link #configure} and {@link #synchronize} again with the full current state, so
 *       {@code synchronize} is where a handler reconciles what it remembers with what still exists.
 * </ul>
 */
public interface NriHandler {
    /**
     * The runtime accepted the plugin; answer the events to be called for. Must not be empty (NRI reads an empty
     * subscription as "everything"). {@link NriEvent#CREATE_CONTAINER} reaches {@link #createContainer},
     * {@link NriEvent#STOP_CONTAINER} and the pure notifications reach {@link #stateChanged}. An exception here
     * fails the registration; the stub retries after a backoff.
     */
    Set<NriEvent> configure(RuntimeInfo runtime);

    /**
     * Every pod and container the runtime knows, once per connection, before any lifecycle call. The stub
     * reassembles runtimes that split the state into several messages.
     */
    void synchronize(List<Pod> pods, List<Container> containers);

    /** A container is about to be created: answer what to add to it (usually mounts), or none. */
    ContainerAdjustment createContainer(Pod pod, Container container);

    /** A subscribed lifecycle event happened. */
    void stateChanged(StateChange change);

    /** The runtime is shutting down; the stub will reconnect once it is back. */
    default void shutdown() {}
}
