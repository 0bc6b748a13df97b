package dev.beesting.agent.tokens;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.beesting.agent.model.Workload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The restart-recovery state: one small JSON file per container under {@code <state dir>/containers/}. The file keeps
 * the shape of the first release, {@code {"pod":{...},"container":{...},"tokens":[...]}}, so an upgraded agent
 * re-arms what an older one planted; the node is this agent's own and is not saved.
 */
public final class ContainerRecords {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerRecords.class);
    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final Path dir;
    private final String nodeName;

    public ContainerRecords(Path stateDir, String nodeName) {
        this.dir = stateDir.resolve("containers");
        this.nodeName = nodeName;
    }

    public void save(ContainerRecord record) throws IOException {
        Files.createDirectories(dir);
        Path target = dir.resolve(record.workload().containerId() + ".json");
        Path temp = Files.createTempFile(dir, ".record-", ".tmp");
        try {
            Files.write(temp, JSON.writeValueAsBytes(SavedRecord.of(record)));
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    public Optional<ContainerRecord> load(String containerId) {
        Path file = dir.resolve(containerId + ".json");
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), SavedRecord.class).toRecord(nodeName));
        } catch (IOException e) {
            LOG.warn("unreadable container record, ignoring it file={} error={}", file, e.toString());
            return Optional.empty();
        }
    }

    public void delete(String containerId) throws IOException {
        Files.deleteIfExists(dir.resolve(containerId + ".json"));
    }

    /** Container ids with a record. */
    public List<String> ids() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<String> ids = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".json") && !n.startsWith("."))
                    .forEach(n -> ids.add(n.substring(0, n.length() - ".json".length())));
        }
        return ids;
    }

    /** The file's shape. */
    record SavedRecord(SavedPod pod, SavedContainer container, List<ContainerRecord.Entry> tokens) {
        static SavedRecord of(ContainerRecord record) {
            Workload w = record.workload();
            return new SavedRecord(
                    new SavedPod(w.pod(), w.namespace(), w.podUid(), w.labels()),
                    new SavedContainer(w.containerId(), w.container(), w.image()),
                    record.tokens());
        }

        ContainerRecord toRecord(String nodeName) {
            SavedPod p = pod == null ? new SavedPod("", "", "", Map.of()) : pod;
            SavedContainer c = container == null ? new SavedContainer("", "", "") : container;
            return new ContainerRecord(
                    new Workload(nodeName, p.namespace(), p.name(), p.uid(), p.labels(), c.name(), c.id(), c.image()),
                    tokens);
        }
    }

    record SavedPod(String name, String namespace, String uid, Map<String, String> labels) {}

    record SavedContainer(String id, String name, String image) {}
}
