package dev.beesting.agent.tokens;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The restart-recovery state: one small JSON file per container under {@code <state dir>/containers/}. */
public final class ContainerRecords {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerRecords.class);
    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final Path dir;

    public ContainerRecords(Path stateDir) {
        this.dir = stateDir.resolve("containers");
    }

    public void save(ContainerRecord record) throws IOException {
        Files.createDirectories(dir);
        Path target = dir.resolve(record.container().id() + ".json");
        Path temp = Files.createTempFile(dir, ".record-", ".tmp");
        try {
            Files.write(temp, JSON.writeValueAsBytes(record));
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
            return Optional.of(JSON.readValue(file.toFile(), ContainerRecord.class));
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
}
