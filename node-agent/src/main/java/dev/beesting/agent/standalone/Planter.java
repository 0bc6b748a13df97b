package dev.beesting.agent.standalone;

import dev.beesting.agent.tokens.TokenFiles;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/** Writes token files atomically (temp file + rename) and removes exactly what it created, directories included. */
final class Planter {

    /** A planted file and the parent directories that did not exist before it. */
    record Planted(Path file, List<Path> createdDirs) {}

    private Planter() {}

    static Planted plant(Path file, String content, int mode) throws IOException {
        if (Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            // never overwrite a file the user owns; a leftover of a killed run must be removed by hand
            throw new FileAlreadyExistsException(file.toString(), null, "refusing to overwrite an existing file");
        }
        List<Path> created = createParents(file.getParent());
        Path temp = null;
        try {
            temp = Files.createTempFile(
                    file.getParent(),
                    "." + file.getFileName() + ".",
                    ".tmp",
                    PosixFilePermissions.asFileAttribute(EnumSet.of(PosixFilePermission.OWNER_WRITE)));
            Files.writeString(temp, content);
            Files.setPosixFilePermissions(temp, TokenFiles.permissions(mode));
            // readers see no file or the whole file, never a half-written token
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            return new Planted(file, created);
        } catch (IOException | RuntimeException e) {
            if (temp != null) {
                Files.deleteIfExists(temp);
            }
            removeDirs(created);
            throw e;
        }
    }

    static void remove(Planted planted) throws IOException {
        Files.deleteIfExists(planted.file());
        removeDirs(planted.createdDirs());
    }

    private static List<Path> createParents(Path dir) throws IOException {
        List<Path> missing = new ArrayList<>();
        for (Path p = dir; p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing.addFirst(p);
        }
        List<Path> created = new ArrayList<>();
        try {
            for (Path p : missing) {
                Files.createDirectory(p);
                created.add(p);
            }
        } catch (IOException e) {
            removeDirs(created);
            throw e;
        }
        return created;
    }

    private static void removeDirs(List<Path> created) throws IOException {
        for (Path dir : created.reversed()) {
            try {
                Files.deleteIfExists(dir);
            } catch (DirectoryNotEmptyException e) {
                return; // someone else put files there since: leave it and its parents
            }
        }
    }
}
