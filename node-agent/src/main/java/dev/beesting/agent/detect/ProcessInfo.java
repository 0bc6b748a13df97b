package dev.beesting.agent.detect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Who a process is, read from {@code /proc/<pid>}: executable and command line. Empty strings when the process
 * is gone or hides them (another user's {@code exe} needs CAP_SYS_PTRACE).
 */
public record ProcessInfo(String exe, String cmdline) {
    public static final ProcessInfo UNKNOWN = new ProcessInfo("", "");

    /** Reads {@code /proc/<pid>/exe} and {@code cmdline} (arguments joined by spaces); never throws. */
    public static ProcessInfo of(int pid) {
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
        return new ProcessInfo(exe, cmdline);
    }
}
