package dev.beesting.agent.model;

import java.util.List;

/**
 * Who started the process that opened a token: its parent chain at the open, the parent's executable and command
 * line when the agent could read them, and the facts its origin is told from. Strings are empty, never null, when
 * unknown; every string and the chain are bounded whatever the source.
 *
 * @param ancestors parent first, at most {@link #MAX_ANCESTORS}
 * @param parentExe the parent's executable path, read from /proc while the parent still ran; empty when it could
 *     not be read
 * @param parentCmdline the parent's command line, likewise
 * @param gone whether a process of the chain had exited before the agent could read it (so the parent's exe and
 *     command line are missing, or, read from /proc, the chain stops early)
 * @param mountNamespace the opener's mount namespace (inode number); 0 when unknown
 * @param entryTgid the last process up the chain still in the opener's mount namespace: where the chain leaves it;
 *     0 when unknown
 * @param origin how the opener came to run there; decided where the container is known, {@link Origin#UNKNOWN}
 *     before
 */
public record Lineage(
        List<Ancestor> ancestors,
        String parentExe,
        String parentCmdline,
        boolean gone,
        long mountNamespace,
        int entryTgid,
        Origin origin) {
    /** Ancestors an alert carries: the parent and three above it. */
    public static final int MAX_ANCESTORS = 4;

    /** Nothing known. */
    public static final Lineage UNKNOWN = new Lineage(List.of(), "", "", false, 0, 0, Origin.UNKNOWN);

    public Lineage {
        ancestors = ancestors == null
                ? List.of()
                : List.copyOf(ancestors.subList(0, Math.min(ancestors.size(), MAX_ANCESTORS)));
        parentExe = Opener.bound(parentExe, Opener.MAX_EXE);
        parentCmdline = Opener.bound(parentCmdline, Opener.MAX_CMDLINE);
        origin = origin == null ? Origin.UNKNOWN : origin;
    }

    /** The parent, if the chain is known. */
    public java.util.Optional<Ancestor> parent() {
        return ancestors.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(ancestors.getFirst());
    }

    /** The same chain with its origin decided. */
    public Lineage withOrigin(Origin decided) {
        return new Lineage(ancestors, parentExe, parentCmdline, gone, mountNamespace, entryTgid, decided);
    }
}
