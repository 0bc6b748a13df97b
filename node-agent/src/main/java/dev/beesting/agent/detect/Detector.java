package dev.beesting.agent.detect;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Reports every open of armed files, whatever path the opener used. The rest of the agent never knows which
 * {@link Tier} runs.
 */
public interface Detector extends AutoCloseable {

    /** The tier this detector runs. */
    Tier tier();

    /**
     * Starts watching a file. The file must exist; it is identified by its inode, so later opens through any
     * path (symlink, hard link, bind mount, {@code /proc/<pid>/root}) are reported.
     *
     * @return the token id that events for this file carry
     */
    long arm(Path file, AccessAction action) throws IOException;

    /** Stops watching the file armed under this id; unknown ids are ignored. */
    void disarm(long tokenId);

    /**
     * Starts delivering events to the sink on a thread of the detector. The sink must not block for long and must
     * not throw.
     */
    void start(Consumer<AccessEvent> sink);

    /**
     * Total opens of the token armed under this id, exact even when events were rate limited.
     *
     * @throws IllegalArgumentException if the id is not armed
     */
    default long count(long tokenId) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not count opens");
    }

    /**
     * Whether events still flow: the tier's reader thread runs and is making progress or waiting for the kernel.
     * False when it ended for good (a failed poll or read it could not recover from) or is stuck, so a liveness probe
     * restarts the agent instead of leaving the node blind.
     */
    boolean alive();

    /** Counters since start, including events lost or held back by the rate limit. */
    default DetectorStats stats() {
        return new DetectorStats(0, 0, 0, 0);
    }

    /** Detaches from the kernel and releases every native resource. */
    @Override
    void close();
}
