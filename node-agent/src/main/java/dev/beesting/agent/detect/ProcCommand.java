package dev.beesting.agent.detect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The executable and command line of a process, read from {@code /proc/<pid>}: part of the {@code Opener}. Empty strings when the process
 * is gone or hides them (another user's {@code exe} needs CAP_SYS_PTRACE).
 */
record ProcCommand(String exe, String cmdline) {
    static final ProcCommand UNKNOWN = new ProcCommand("", "");

    /** Reads {@code /proc/<pid>/exe} and {@code cmdline} (arguments joined by spaces); never throws. */
    static ProcCommand of(int pid) {
        Path proc = Path.of("/proc", Integer.toString(pid));
        String exe = "";
        String cmdline = "";
        try {
            exe = Files.readSymbolicLink(proc.resolve("exe")).toString();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // gone or not permitted: keep what we have
        }
        try {
            byte[] raw = Files.readAllBytes(proc.resolve("cmdline"));
            int end = raw.length;
            while (end > 0 && raw[end - 1] == 0) {
                end--;
            }
            cmdline = new String(raw, 0, end, StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException | SecurityException e) {
            // gone: keep what we have
        }
        return new ProcCommand(exe, cmdline);
    }
}
