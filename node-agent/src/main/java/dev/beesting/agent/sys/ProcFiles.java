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

    /**
     * What {@code /proc/<pid>/stat} tells of a process.
     *
     * @param comm its command name (the process chooses it)
     * @param ppid its parent's process id, 0 for none
     * @param startTicks when it started, in clock ticks after boot
     */
    public record Stat(String comm, int ppid, long startTicks) {
        /** Whether a start the kernel recorded in nanoseconds after boot is this one (a reused pid starts later). */
        public boolean startedAt(long nanosAfterBoot) {
            return startTicks == nanosAfterBoot / (1_000_000_000L / TICKS_PER_SECOND);
        }
    }

    /** Reads {@code /proc/<pid>/stat}; empty when the process is gone. It never reads the process's memory. */
    public static Optional<Stat> stat(int pid) {
        if (pid <= 0) {
            return Optional.empty();
        }
        try {
            String stat = readBounded(Path.of("/proc", Integer.toString(pid), "stat"));
            // the comm may hold spaces and parentheses: the first '(' starts it and the last ')' ends it
            int open = stat.indexOf('(');
            int close = stat.lastIndexOf(')');
            String[] fields = stat.substring(close + 2).split(" ");
            // fields 4 and 22 of the line: the 2nd and 20th after the comm
            return Optional.of(
                    new Stat(stat.substring(open + 1, close), Integer.parseInt(fields[1]), Long.parseLong(fields[19])));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** When the process started, from its start time in clock ticks after boot. */
    public static Optional<Instant> processStart(int pid) {
        try {
            Optional<Instant> boot = bootTime();
            return stat(pid).flatMap(s -> boot.map(b -> b.plusMillis(s.startTicks() * 1000 / TICKS_PER_SECOND)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The process's mount namespace, its inode number as {@code /proc/<pid>/ns/mnt} names it; 0 when gone. */
    public static long mountNamespace(int pid) {
        if (pid <= 0) {
            return 0;
        }
        try {
            String link = Files.readSymbolicLink(Path.of("/proc", Integer.toString(pid), "ns", "mnt"))
                    .toString();
            // "mnt:[4026531841]"
            return Long.parseLong(link.substring(link.indexOf('[') + 1, link.length() - 1));
        } catch (IOException | RuntimeException e) {
            return 0;
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
