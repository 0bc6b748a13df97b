package dev.beesting.agent.tokens;

import dev.beesting.agent.detect.Detector;
import dev.beesting.agent.model.Workload;
import dev.beesting.agent.tokens.ContainerRecord.Entry;
import dev.beesting.agent.tokens.PolicyMatcher.WantedToken;
import dev.beesting.api.nodeconfig.CompiledPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plants tokens as host files under the state dir, which the runtime bind-mounts read-only into a container it
 * creates. The mount stays for the container's life, so a token no policy wants is emptied and refilled in place.
 */
final class MountPlanting {
    private static final Logger LOG = LoggerFactory.getLogger(MountPlanting.class);

    private final TokenFiles files;
    private final Detector detector;

    MountPlanting(Path stateDir, Detector detector) {
        this.files = new TokenFiles(stateDir);
        this.detector = detector;
    }

    /** Where the container's own mounts appear in it: all but the agent's token files. */
    Set<String> notOurs(List<ContainerMount> containerMounts) {
        Set<String> points = new HashSet<>();
        containerMounts.stream().filter(m -> hostFile(m.source()).isEmpty()).forEach(m -> points.add(m.destination()));
        return points;
    }

    /**
     * The mounted tokens among {@code entries} that the runtime did not mount into the started container: the
     * answer to its CreateContainer came too late. Logged; live planting brings them in instead.
     */
    List<Entry> neverMade(RunningContainer container, List<Entry> entries) {
        Set<Path> made = new HashSet<>();
        container.mounts().forEach(m -> hostFile(m.source()).ifPresent(made::add));
        List<Entry> missing = entries.stream()
                .filter(e -> e.kind() == ContainerRecord.Kind.MOUNT)
                .filter(e -> !made.contains(file(container.id(), e)))
                .toList();
        missing.forEach(e -> LOG.warn(
                "token mount never made, the runtime created the container without it; planting it live"
                        + " container={} path={}",
                container.id(),
                e.path()));
        return missing;
    }

    /** {@code source} as a token file of this agent, if it is one. */
    private Optional<Path> hostFile(String source) {
        try {
            Path path = Path.of(source).toAbsolutePath().normalize();
            return path.startsWith(files.root().toAbsolutePath().normalize()) ? Optional.of(path) : Optional.empty();
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    private Path file(String containerId, Entry entry) {
        return files.file(containerId, entry.index()).toAbsolutePath().normalize();
    }

    /** Deletes the host file of a mounted token the runtime never mounted; its caller has disarmed it. */
    void delete(String containerId, Entry entry) {
        try {
            Files.deleteIfExists(files.file(containerId, entry.index()));
        } catch (IOException e) {
            LOG.warn("token file not deleted container={} path={} error={}", containerId, entry.path(), e.toString());
        }
    }

    /** Writes token number {@code index} of a container being created and arms it. */
    PlantedToken plant(Workload workload, int index, WantedToken wanted, String content) throws IOException {
        Path file = files.write(
                workload.containerId(), index, content, wanted.token().modeBits());
        long id = detector.arm(file, PolicyMatcher.action(wanted.policy()));
        return new PlantedToken(id, file, wanted.token().path(), workload, wanted.policy(), Instant.now());
    }

    /** Arms a mounted token again after an agent restart. */
    PlantedToken rearm(
            String containerId, Entry entry, Workload workload, CompiledPolicy policy, Instant containerStart)
            throws IOException {
        Path file = files.file(containerId, entry.index());
        return new PlantedToken(
                detector.arm(file, PolicyMatcher.action(policy)), file, entry.path(), workload, policy, containerStart);
    }

    /** Gives an emptied mounted token content again, for a policy that selects its container once more. */
    PlantedToken refill(RunningContainer container, Entry entry, WantedToken want, String content) throws IOException {
        Path file = files.file(container.id(), entry.index());
        files.refill(file, content, want.token().modeBits());
        long id = detector.arm(file, PolicyMatcher.action(want.policy()));
        return new PlantedToken(id, file, entry.path(), container.workload(), want.policy(), container.startedAt());
    }

    /** Empties a mounted token no policy wants; its caller has disarmed it. */
    void empty(RunningContainer container, Entry entry) throws IOException {
        files.truncate(files.file(container.id(), entry.index()));
        LOG.info(
                "mounted token emptied, the mount goes when the container restarts container={} path={}",
                container.id(),
                entry.path());
    }

    void deleteContainer(String containerId) throws IOException {
        files.deleteContainer(containerId);
    }

    /** Containers with a token folder under the state dir. */
    List<String> containersOnDisk() throws IOException {
        return files.containersOnDisk();
    }
}
