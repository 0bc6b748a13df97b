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

    /** Detaches from the kernel and releases every native resource. */
    @Override
    void close();
}
