package dev.beesting.agent.kube;

import dev.beesting.api.nodeconfig.NodeConfig;
import dev.beesting.api.nodeconfig.NodeConfigCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The last good node config in a file of the state dir (format v1 or v2; a v4 index is saved assembled, as v2). */
final class SavedNodeConfig {
    private static final Logger LOG = LoggerFactory.getLogger(SavedNodeConfig.class);

    private SavedNodeConfig() {}

    static Optional<NodeConfig> load(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(NodeConfigCodec.read(Files.readString(file)));
        } catch (IOException | IllegalArgumentException e) {
            LOG.error("saved node config unreadable, starting without one file={} error={}", file, e.toString());
            return Optional.empty();
        }
    }

    static void save(Path file, NodeConfig config) {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            // owner-only before a byte is written: it holds resolved Secret values and the decoy key
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, NodeConfigCodec.write(config));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.error(
                    "node config not saved, a restart starts from the Secret alone file={} error={}",
                    file,
                    e.toString());
        }
    }
}
