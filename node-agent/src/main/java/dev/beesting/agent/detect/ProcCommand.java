package dev.beesting.agent.detect;

import dev.beesting.agent.model.Opener;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

/**
 * The executable and command line of a process, read from {@code /proc/<pid>}: part of the {@code Opener}. Empty strings when the process
 * is gone or hides them (another user's {@code exe} needs CAP_SYS_PTRACE).
 */
record ProcCommand(String exe, String cmdline, Instant exeChangedAt) {
    static final ProcCommand UNKNOWN = new ProcCommand("", "");

    /** Without the executable's change time (unknown). */
    ProcCommand(String exe, String cmdline) {
        this(exe, cmdline, null);
    }

    /** Reads {@code /proc/<pid>/exe} and {@code cmdline} (arguments joined by spaces); never throws. */
    static ProcCommand of(int pid) {
        Path proc = Path.of("/proc", Integer.toString(pid));
        String exe = "";
        String cmdline = "";
        Instant exeChangedAt = null;
        try {
            exe = Files.readSymbolicLink(proc.resolve("exe")).toString();
            // read with the path, while the opener still runs that file: what ignoreProcesses may trust
            exeChangedAt = ((FileTime) Files.getAttribute(proc.resolve("exe"), "unix:ctime")).toInstant();
        } catch (IOException | UnsupportedOperationException | SecurityException | ClassCastException e) {
            // gone or not permitted: keep what we have
        }
        try (InputStream in = Files.newInputStream(proc.resolve("cmdline"))) {
            // the opener chooses its argv (up to MAX_ARG_STRLEN per argument, about 2 MB in all): read only what is
            // kept, plus one byte to know whether there was more
            cmdline = cmdline(in.readNBytes(Opener.MAX_CMDLINE + 1));
        } catch (IOException | SecurityException e) {
            // gone: keep what we have
        }
        return new ProcCommand(Opener.bound(exe, Opener.MAX_EXE), cmdline, exe.isEmpty() ? null : exeChangedAt);
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
