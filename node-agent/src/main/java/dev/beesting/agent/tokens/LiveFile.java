package dev.beesting.agent.tokens;

import dev.beesting.agent.sys.Libc;
import java.nio.file.Path;

/**
 * A token file inside a container, held open by the agent. {@link #reopenPath()} reaches exactly this file (the
 * kernel follows the descriptor, not a path the container could change), so the detector learns its key there.
 *
 * @param fd the agent's descriptor
 * @param ino the file's inode number, recorded to recognise the file later
 */
record LiveFile(int fd, long ino) implements AutoCloseable {
    Path reopenPath() {
        return ContainerRoot.fdPath(fd);
    }

    @Override
    public void close() {
        Libc.close(fd);
    }
}
