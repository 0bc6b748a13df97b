package dev.beesting.agent.model;

import java.util.Locale;

/**
 * How the process that opened a token came to run where it did, as far as its parent chain tells (see {@code
 * docs/kernel-support.md}, "Process ancestry and origin").
 */
public enum Origin {
    /** Of the container's own process tree: its chain leaves the container through the container's first process. */
    CONTAINER,
    /**
     * Started in the container from outside it ({@code kubectl exec}, {@code crictl exec}, {@code nsenter}): its chain
     * leaves the container's mount namespace without passing through the container's first process.
     */
    EXEC,
    /** Not in the container at all: a process in another mount namespace (the node's, another pod's) opened it. */
    HOST,
    /** Not told: the container's first process, or where the chain leaves the container, was unknown. */
    UNKNOWN;

    /** The name alerts carry: {@code container}, {@code exec}, {@code host} or {@code unknown}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
