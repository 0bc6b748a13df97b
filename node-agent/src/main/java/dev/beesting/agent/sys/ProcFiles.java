package dev.beesting.agent.sys;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Optional;

/**
 * Facts about a process that the kernel keeps and the process cannot forge: when it started and when the file it
 * runs last changed. Every read is bounded; a process that is gone, or a file that cannot be read, gives empty.
 */
public final class ProcFiles {
    /** /proc/[pid]/stat is one short line; the process names its comm (15 bytes), nothing else is its own. */
    private static final int MAX_STAT = 4096;

    private static final long TICKS_PER_SECOND = 100; // USER_HZ on every Linux ABI the agent runs on

    private ProcFiles() {}

    /** When the process started, from its start time in clock ticks after boot. */
    public static Optional<Instant> processStart(int pid) {
        if (pid <= 0) {
            return Optional.empty();
        }
        try {
            String stat = readBounded(Path.of("/proc", Integer.toString(pid), "stat"));
            // fields after the comm, which may hold spaces and parentheses: the last ')' ends it
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[19]); // field 22 of the line, the 20th after the comm
            return bootTime().map(boot -> boot.plusMillis(ticks * 1000 / TICKS_PER_SECOND));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * When the executable that process {@code tgid} runs last changed (its inode's ctime: written, replaced,
     * linked, renamed or its mode changed; no system call sets it back), provided it is still the file at
     * {@code exe}. Empty when the process is gone, runs something else now, or its file was deleted.
     */
    public static Optional<Instant> executableChangedAt(int tgid, String exe) {
        if (tgid <= 0 || exe.isEmpty()) {
            return Optional.empty();
        }
        try {
            Path link = Path.of("/proc", Integer.toString(tgid), "exe");
            if (!Files.readSymbolicLink(link).toString().equals(exe)) {
                return Optional.empty(); // another program now, or " (deleted)"
            }
            FileTime changed = (FileTime) Files.getAttribute(link, "unix:ctime");
            return Optional.of(changed.toInstant());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<Instant> bootTime() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/stat"), StandardCharsets.US_ASCII)) {
            if (line.startsWith("btime ")) {
                return Optional.of(
                        Instant.ofEpochSecond(Long.parseLong(line.substring(6).trim())));
            }
        }
        return Optional.empty();
    }

    private static String readBounded(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(MAX_STAT), StandardCharsets.US_ASCII);
        }
    }
}
