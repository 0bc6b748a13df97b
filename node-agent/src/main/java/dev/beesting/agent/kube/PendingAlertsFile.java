package dev.beesting.agent.kube;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Alerts not yet written to the API server, kept in a small JSON file in the agent's state dir so an agent
 * restart during an API outage loses none. Replaced atomically: a reader sees the old or the new file, never
 * half of one.
 */
final class PendingAlertsFile {
    static final String FILE_NAME = "pending-alerts.json";
    private static final int FORMAT = 1;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final Path file;

    PendingAlertsFile(Path stateDir) {
        this.file = stateDir.resolve(FILE_NAME);
    }

    Path path() {
        return file;
    }

    /** On-disk document; the format number lets a newer agent read an older file. */
    record Document(int format, List<AlertRecord> alerts) {}

    List<AlertRecord> load() throws IOException {
        try {
            Document document = JSON.readValue(Files.readAllBytes(file), Document.class);
            return document.alerts() == null ? List.of() : document.alerts();
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }

    void save(List<AlertRecord> alerts) throws IOException {
        Files.createDirectories(file.getParent());
        Path temp = file.resolveSibling(FILE_NAME + ".tmp");
        Files.write(temp, JSON.writeValueAsBytes(new Document(FORMAT, alerts)));
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
