package dev.beesting.agent.detect;

import dev.beesting.agent.model.Opener;
import java.io.IOException;
import java.io.InputStream;
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
        return new ProcCommand(readExe(pid), readCmdline(pid));
    }

    /** Reads {@code /proc/<pid>/exe}, bounded; empty when gone or not permitted. Never throws. */
    static String readExe(int pid) {
        try {
            return Opener.bound(
                    Files.readSymbolicLink(Path.of("/proc", Integer.toString(pid), "exe"))
                            .toString(),
                    Opener.MAX_EXE);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return "";
        }
    }

    /**
     * Reads {@code /proc/<pid>/cmdline}, bounded; empty when gone. Never throws, but may block as long as the
     * opener's memory does (its argv pages on a stalled mount): call it off the thread that drains the kernel.
     */
    static String readCmdline(int pid) {
        try (InputStream in = Files.newInputStream(Path.of("/proc", Integer.toString(pid), "cmdline"))) {
            // the opener chooses its argv (up to MAX_ARG_STRLEN per argument, about 2 MB in all): read only what is
            // kept, plus one byte to know whether there was more
            return cmdline(in.readNBytes(Opener.MAX_CMDLINE + 1));
        } catch (IOException | SecurityException e) {
            return "";
        }
    }

    /** The arguments (NUL-separated, at most {@link Opener#MAX_CMDLINE} + 1 bytes read) joined by spaces. */
    static String cmdline(byte[] raw) {
        boolean cut = raw.length > Opener.MAX_CMDLINE;
        int end = cut ? Opener.MAX_CMDLINE : raw.length;
        while (!cut && end > 0 && raw[end - 1] == 0) {
            end--;
        }
        String text = new String(raw, 0, end, StandardCharsets.UTF_8).replace('\0', ' ');
        if (!cut) {
            return text;
        }
        String kept = Opener.bound(text, Opener.MAX_CMDLINE - Opener.TRUNCATED.length());
        return kept.endsWith(Opener.TRUNCATED) ? kept : kept + Opener.TRUNCATED;
    }
}
