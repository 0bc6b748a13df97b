package dev.beesting.agent.tokens;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The host side of planted tokens: {@code <state dir>/tokens/<container id>/<n>}, folders 0700, files written
 * atomically with the policy's mode.
 */
public final class TokenFiles {
    private static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");

    private final Path tokensDir;

    public TokenFiles(Path stateDir) {
        this.tokensDir = stateDir.resolve("tokens");
    }

    public Path root() {
        return tokensDir;
    }

    /** The host file of a container's n-th token. */
    public Path file(String containerId, int index) {
        return containerDir(containerId).resolve(Integer.toString(index));
    }

    /** Writes a token file atomically (temporary file, then rename) with the given permission bits. */
    public Path write(String containerId, int index, String content, int modeBits) throws IOException {
        Path dir = containerDir(containerId);
        createPrivateDir(tokensDir);
        createPrivateDir(dir);
        Path target = dir.resolve(Integer.toString(index));
        Path temp = Files.createTempFile(dir, "." + index + "-", ".tmp");
        try {
            Files.writeString(temp, content, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(temp, permissions(modeBits));
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
        return target;
    }

    /** Empties a token file in place (a bind mount of it then shows an empty file). */
    public void truncate(Path file) throws IOException {
        if (Files.exists(file)) {
            Files.writeString(file, "");
        }
    }

    /** Writes new content into an existing token file in place, so a bind mount of it shows the new content. */
    public void refill(Path file, String content, int modeBits) throws IOException {
        Files.writeString(file, content, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, permissions(modeBits));
    }

    /** Deletes a container's token folder and everything in it; missing folders are fine. */
    public void deleteContainer(String containerId) throws IOException {
        Path dir = containerDir(containerId);
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.delete(path);
                } catch (NoSuchFileException e) {
                    // removed concurrently
                }
            }
        }
    }

    /** Container ids that have a token folder on disk. */
    public List<String> containersOnDisk() throws IOException {
        if (!Files.isDirectory(tokensDir)) {
            return List.of();
        }
        List<String> ids = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(tokensDir)) {
            dirs.filter(Files::isDirectory).forEach(d -> ids.add(d.getFileName().toString()));
        }
        return ids;
    }

    private Path containerDir(String containerId) {
        if (containerId.isEmpty() || containerId.contains("/") || containerId.startsWith(".")) {
            throw new IllegalArgumentException("container id '" + containerId + "' cannot name a folder");
        }
        return tokensDir.resolve(containerId);
    }

    private static void createPrivateDir(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PRIVATE_DIR);
        }
    }

    /** Octal permission bits (e.g. 0444) as NIO permissions. */
    public static Set<PosixFilePermission> permissions(int modeBits) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ
        };
        for (int bit = 0; bit < order.length; bit++) {
            if ((modeBits & (1 << bit)) != 0) {
                set.add(order[bit]);
            }
        }
        return set;
    }
}
