package dev.beesting.agent.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Planting inside a root folder on the real filesystem: hostile symlinks never reach a file outside the root. */
class ContainerRootIT {
    @TempDir
    Path root;

    @TempDir
    Path host;

    private Path hostFile;

    @BeforeEach
    void hostSecret() throws IOException {
        hostFile = Files.writeString(host.resolve("shadow"), "host secret");
        Files.createDirectories(root.resolve("etc"));
    }

    @Test
    void createsTheFileWithContentAndModeInsideTheRoot() throws IOException {
        try (ContainerRoot container = ContainerRoot.ofDirectory(root);
                LiveFile file = container.create("/etc/token", "AKIA", 0440)) {
            Path planted = root.resolve("etc/token");
            assertThat(planted).hasContent("AKIA");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(planted)))
                    .isEqualTo("r--r-----");
            assertThat(file.ino()).isEqualTo(Files.getAttribute(planted, "unix:ino"));
            assertThat(file.reopenPath()).hasContent("AKIA");
        }
    }

    @Test
    void symlinkAtTheTokenPathIsNeverFollowedNorReplaced() throws IOException {
        Path link = Files.createSymbolicLink(root.resolve("etc/token"), hostFile);
        try (ContainerRoot container = ContainerRoot.ofDirectory(root)) {
            assertThatThrownBy(() -> container.create("/etc/token", "AKIA", 0444))
                    .hasMessageContaining("EEXIST");
        }
        assertThat(hostFile).hasContent("host secret");
        assertThat(Files.isSymbolicLink(link)).isTrue();
    }

    @Test
    void absoluteSymlinkInTheParentChainResolvesInsideTheRoot() throws IOException {
        Files.createSymbolicLink(root.resolve("run"), host);
        try (ContainerRoot container = ContainerRoot.ofDirectory(root)) {
            assertThatThrownBy(() -> container.create("/run/token", "AKIA", 0444))
                    .hasMessageContaining("ENOENT");
        }
        assertThat(host)
                .isDirectoryNotContaining(p -> p.getFileName().toString().equals("token"));
    }

    @Test
    void relativeSymlinkClimbingOutOfTheRootStaysInside() throws IOException {
        String up = "../".repeat(root.getNameCount() + 2);
        Files.createSymbolicLink(
                root.resolve("var"), Path.of(up + host.toString().substring(1)));
        Files.createDirectories(root.resolve(host.toString().substring(1)));
        try (ContainerRoot container = ContainerRoot.ofDirectory(root);
                LiveFile ignored = container.create("/var/token", "AKIA", 0444)) {
            assertThat(root.resolve(host.toString().substring(1)).resolve("token"))
                    .hasContent("AKIA");
        }
        assertThat(host.resolve("token")).doesNotExist();
    }

    @Test
    void dotDotInTheTokenPathCannotLeaveTheRoot() throws IOException {
        Path escape =
                Path.of("/", "..", "..").resolve(host.toString().substring(1)).resolve("token");
        try (ContainerRoot container = ContainerRoot.ofDirectory(root)) {
            assertThatThrownBy(() -> container.create(escape.toString(), "AKIA", 0444))
                    .hasMessageContaining("ENOENT");
        }
        assertThat(host.resolve("token")).doesNotExist();
    }

    @Test
    void existingFileIsNeverOverwritten() throws IOException {
        Path existing = Files.writeString(root.resolve("etc/token"), "app data");
        try (ContainerRoot container = ContainerRoot.ofDirectory(root)) {
            assertThatThrownBy(() -> container.create("/etc/token", "AKIA", 0444))
                    .hasMessageContaining("EEXIST");
        }
        assertThat(existing).hasContent("app data");
    }

    @Test
    void absentFolderIsNotCreated() throws IOException {
        try (ContainerRoot container = ContainerRoot.ofDirectory(root)) {
            assertThatThrownBy(() -> container.create("/missing/token", "AKIA", 0444))
                    .hasMessageContaining("ENOENT");
        }
        assertThat(root.resolve("missing")).doesNotExist();
    }

    @Test
    void plantedFileReplacedBySymlinkIsNeitherReopenedNorDeleted() throws IOException {
        try (ContainerRoot container = ContainerRoot.ofDirectory(root)) {
            long ino;
            try (LiveFile file = container.create("/etc/token", "AKIA", 0444)) {
                ino = file.ino();
            }
            Path token = root.resolve("etc/token");
            Files.delete(token);
            Files.createSymbolicLink(token, hostFile);

            assertThatThrownBy(() -> container.open("/etc/token", ino)).isInstanceOf(IOException.class);
            assertThat(container.delete("/etc/token", ino)).isFalse();
            assertThat(Files.isSymbolicLink(token)).isTrue();
            assertThat(hostFile).hasContent("host secret");
        }
    }

    @Test
    void plantedFileIsReopenedAndDeletedByItsInode() throws IOException {
        try (ContainerRoot container = ContainerRoot.ofDirectory(root)) {
            long ino;
            try (LiveFile file = container.create("/etc/token", "AKIA", 0444)) {
                ino = file.ino();
            }
            try (LiveFile again = container.open("/etc/token", ino)) {
                assertThat(again.reopenPath()).hasContent("AKIA");
            }
            assertThat(container.delete("/etc/token", ino)).isTrue();
            assertThat(root.resolve("etc/token")).doesNotExist();
            assertThat(container.delete("/etc/token", ino)).isFalse();
        }
    }
}
