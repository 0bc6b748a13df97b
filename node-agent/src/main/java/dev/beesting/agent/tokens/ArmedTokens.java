package dev.beesting.agent.tokens;

import dev.beesting.agent.detect.Detector;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The armed tokens, by detector id and by container, with the record of what each container holds, saved so that a
 * restarted agent can re-arm it. Replacing a container's tokens disarms those that are dropped.
 */
final class ArmedTokens {
    private static final Logger LOG = LoggerFactory.getLogger(ArmedTokens.class);

    private final ContainerRecords records;
    private final Detector detector;
    private final PlantingFailures failures;
    private final Map<Long, PlantedToken> byId = new ConcurrentHashMap<>();
    private final Map<String, List<PlantedToken>> byContainer = new ConcurrentHashMap<>();
    /** The current record of every container with tokens, including emptied mounts. */
    private final Map<String, ContainerRecord> planted = new ConcurrentHashMap<>();

    ArmedTokens(Path stateDir, String nodeName, Detector detector, PlantingFailures failures) {
        this.records = new ContainerRecords(stateDir, nodeName);
        this.detector = detector;
        this.failures = failures;
    }

    Optional<PlantedToken> token(long tokenId) {
        return Optional.ofNullable(byId.get(tokenId));
    }

    List<PlantedToken> of(String containerId) {
        return byContainer.getOrDefault(containerId, List.of());
    }

    /** Whether the container's tokens were armed (or re-armed) by this agent, even if none are left. */
    boolean known(String containerId) {
        return byContainer.containsKey(containerId);
    }

    Set<String> containerIds() {
        return Set.copyOf(byContainer.keySet());
    }

    int count() {
        return byId.size();
    }

    /** What the container holds now; an empty record when the agent planted nothing into it. */
    ContainerRecord record(RunningContainer container) {
        return planted.getOrDefault(container.id(), new ContainerRecord(container.workload(), List.of()));
    }

    /** Takes over the armed tokens and the record of a container that had none armed here. */
    void add(String containerId, List<PlantedToken> armed, ContainerRecord record) {
        remember(containerId, armed);
        save(record);
    }

    /** Makes {@code armed} the container's tokens: disarms those it no longer holds and saves its new record. */
    void replace(RunningContainer container, List<PlantedToken> armed, List<ContainerRecord.Entry> entries) {
        List<PlantedToken> before = byContainer.getOrDefault(container.id(), List.of());
        // by detector id: a token whose policy was edited in place keeps its id and stays armed
        Set<Long> kept = armed.stream().map(PlantedToken::tokenId).collect(Collectors.toSet());
        before.stream().filter(t -> !kept.contains(t.tokenId())).forEach(this::disarm);
        remember(container.id(), armed);
        save(new ContainerRecord(container.workload(), entries));
    }

    /** Disarms one token of a container now, before its file is emptied or deleted. */
    void disarm(String containerId, PlantedToken token) {
        disarm(token);
        byContainer.computeIfPresent(
                containerId,
                (id, list) -> list.stream().filter(t -> !t.equals(token)).toList());
    }

    /**
     * Disarms every token of a container that is gone and forgets its record (not the saved one, see
     * {@link #deleteSaved}); empty when none were armed here.
     */
    Optional<List<PlantedToken>> forget(String containerId) {
        planted.remove(containerId);
        List<PlantedToken> armed = byContainer.remove(containerId);
        if (armed != null) {
            armed.forEach(this::disarm);
        }
        return Optional.ofNullable(armed);
    }

    /** The record a container had when the agent (perhaps an earlier run of it) last saved it. */
    Optional<ContainerRecord> saved(String containerId) {
        return records.load(containerId);
    }

    /** Containers with a saved record. */
    List<String> savedIds() throws IOException {
        return records.ids();
    }

    void deleteSaved(String containerId) throws IOException {
        records.delete(containerId);
    }

    private void disarm(PlantedToken token) {
        byId.remove(token.tokenId());
        detector.disarm(token.tokenId());
    }

    private void remember(String containerId, List<PlantedToken> armed) {
        List<PlantedToken> stale = byContainer.put(containerId, List.copyOf(armed));
        if (stale != null) {
            stale.forEach(t -> byId.remove(t.tokenId()));
        }
        armed.forEach(t -> byId.put(t.tokenId(), t));
    }

    private void save(ContainerRecord record) {
        String id = record.workload().containerId();
        try {
            if (record.tokens().isEmpty()) {
                planted.remove(id);
                records.delete(id);
            } else {
                planted.put(id, record);
                records.save(record);
            }
        } catch (IOException e) {
            failures.counted();
            LOG.error(
                    "container record not saved, a restart will not re-arm it container={} error={}", id, e.toString());
        }
    }
}
