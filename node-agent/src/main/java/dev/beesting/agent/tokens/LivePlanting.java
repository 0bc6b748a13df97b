package dev.beesting.agent.tokens;

import dev.beesting.agent.detect.Detector;
import dev.beesting.agent.model.Workload;
import dev.beesting.agent.tokens.ContainerRecord.Entry;
import dev.beesting.agent.tokens.PolicyMatcher.WantedToken;
import dev.beesting.api.nodeconfig.CompiledPolicy;
import dev.beesting.api.nodeconfig.CompiledToken;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plants tokens into a running container's own filesystem (NRI can add mounts only at creation), through its root
 * as its first process sees it, and arms, re-arms and deletes them there.
 */
final class LivePlanting {
    private static final Logger LOG = LoggerFactory.getLogger(LivePlanting.class);

    private final Detector detector;

    LivePlanting(Detector detector) {
        this.detector = detector;
    }

    /** A live token and the inode of its file, recorded to recognise the file later. */
    record Planted(PlantedToken token, long ino) {}

    /**
     * Creates the token's file in the container, armed before its name appears (see {@link ContainerRoot#create(
     * String, String, int, ContainerRoot.Arming)}); a file that cannot be armed never appears, and one that cannot
     * be named is disarmed again.
     */
    Planted plant(RunningContainer container, WantedToken want, String content) throws IOException {
        CompiledToken token = want.token();
        long[] armed = {-1};
        ContainerRoot.Arming arming =
                reopenPath -> armed[0] = detector.arm(reopenPath, PolicyMatcher.action(want.policy()));
        try (ContainerRoot root = ContainerRoot.ofProcess(container.pid(), container.id())) {
            LiveFile file;
            try {
                file = root.create(token.path(), content, token.modeBits(), arming);
            } catch (IOException | RuntimeException e) {
                if (armed[0] >= 0) {
                    detector.disarm(armed[0]); // armed but never named (the name was taken meanwhile)
                }
                throw e;
            }
            try (file) {
                return new Planted(
                        new PlantedToken(
                                armed[0],
                                hostView(container, token.path()),
                                token.path(),
                                container.workload(),
                                want.policy(),
                                container.startedAt()),
                        file.ino());
            }
        }
    }

    /** Arms a live token planted before the agent restarted, if the container still holds that very file. */
    PlantedToken rearm(RunningContainer container, Entry entry, Workload workload, CompiledPolicy policy)
            throws IOException {
        try (ContainerRoot root = ContainerRoot.ofProcess(container.pid(), container.id());
                LiveFile file = root.open(entry.path(), entry.ino())) {
            long id = detector.arm(file.reopenPath(), PolicyMatcher.action(policy));
            return new PlantedToken(
                    id, hostView(container, entry.path()), entry.path(), workload, policy, container.startedAt());
        }
    }

    /** Deletes a live token's file, unless the container put another file in its place. */
    void delete(RunningContainer container, Entry entry) throws IOException {
        try (ContainerRoot root = ContainerRoot.ofProcess(container.pid(), container.id())) {
            boolean deleted = root.delete(entry.path(), entry.ino());
            LOG.info("live token deleted container={} path={} found={}", container.id(), entry.path(), deleted);
        }
    }

    /** Where the host sees the file while the container runs; for logs and alerts only, never opened by path. */
    private static Path hostView(RunningContainer container, String path) {
        return Path.of("/proc", Integer.toString(container.pid()), "root", path.substring(1));
    }
}
