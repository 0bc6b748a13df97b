package dev.beesting.agent.nri.plugin;

/** A lifecycle event that needs no answer from the plugin beyond its acknowledgement. */
public sealed interface StateChange {
    NriEvent event();

    Pod pod();

    /** A pod sandbox ran, stopped or was removed. */
    record PodChange(NriEvent event, Pod pod) implements StateChange {}

    /** A container started, stopped or was removed (and the post-create/start/update notifications). */
    record ContainerChange(NriEvent event, Pod pod, Container container) implements StateChange {}
}
