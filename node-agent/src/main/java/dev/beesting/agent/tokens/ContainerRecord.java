package dev.beesting.agent.tokens;

import dev.beesting.agent.model.Workload;
import java.util.List;

/**
 * What the agent planted into one container, persisted so that a restarted agent can re-arm it.
 *
 * @param workload the container and its pod
 * @param tokens the planted files
 */
public record ContainerRecord(Workload workload, List<Entry> tokens) {
    public ContainerRecord {
        tokens = tokens == null ? List.of() : List.copyOf(tokens);
    }

    /** How a token reached the container. */
    public enum Kind {
        /** A host file under the state dir, bind-mounted read-only when the container was created. */
        MOUNT,
        /** A file written into the running container's own filesystem at {@code path}. */
        LIVE
    }

    /**
     * One planted file.
     *
     * @param index the file's number in the container's token folder (host file of a {@link Kind#MOUNT} token)
     * @param path the path inside the container
     * @param policy the policy name
     * @param kind how it was planted; records written before live planting have none and are mounts
     * @param ino the inode of a {@link Kind#LIVE} file, so a file the container put in its place is left alone
     * @param emptied a {@link Kind#MOUNT} token whose policy no longer selects the container: the host file is empty
     *     and unarmed, the mount stays until the container restarts
     */
    public record Entry(int index, String path, String policy, Kind kind, long ino, boolean emptied) {
        public Entry {
            kind = kind == null ? Kind.MOUNT : kind;
        }

        static Entry mount(int index, String path, String policy) {
            return new Entry(index, path, policy, Kind.MOUNT, 0, false);
        }

        static Entry live(int index, String path, String policy, long ino) {
            return new Entry(index, path, policy, Kind.LIVE, ino, false);
        }

        Entry withEmptied(boolean value, String policyName) {
            return new Entry(index, path, policyName, kind, ino, value);
        }
    }
}
