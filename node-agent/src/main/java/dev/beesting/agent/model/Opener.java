package dev.beesting.agent.model;

import java.time.Instant;

/**
 * The process that opened a token, as the agent attributes it; the one form every package uses from the detector
 * on. Strings are empty, never null, when the kernel or /proc could not tell. Every string is bounded here, whatever
 * its source (/proc, the kernel, a saved file, the API server): the opener controls its argv and paths, and one
 * huge command line must not blow up the JSON line, the alert or the webhook that carry it.
 *
 * @param pid thread id of the opener (the kernel's pid)
 * @param tgid process id of the opener (thread group), in the node's PID namespace
 * @param uid real uid
 * @param gid real gid
 * @param comm command name (at most 15 characters from the kernel; bounded to {@link #MAX_COMM})
 * @param exe executable path, at most {@link #MAX_EXE} characters
 * @param cmdline command line, arguments joined by spaces, at most {@link #MAX_CMDLINE} characters
 * @param exeChangedAt when the executable file last changed (its ctime), read while the opener ran it; null when
 *     unknown
 * @param lineage who started it: the parent chain and the origin; {@link Lineage#UNKNOWN} when not told
 */
public record Opener(
        int pid,
        int tgid,
        int uid,
        int gid,
        String comm,
        String exe,
        String cmdline,
        Instant exeChangedAt,
        Lineage lineage) {
    /** Longest command line kept; a longer one is cut and ends with {@link #TRUNCATED}. */
    public static final int MAX_CMDLINE = 4096;
    /** Longest executable path kept (the kernel's PATH_MAX). */
    public static final int MAX_EXE = 4096;
    /** Longest command name kept (the kernel's is 15 bytes; this only guards other sources). */
    public static final int MAX_COMM = 64;
    /** What ends a field that was cut. */
    public static final String TRUNCATED = "…(truncated)";

    /** An opener whose executable's change time is unknown. */
    public Opener(int pid, int tgid, int uid, int gid, String comm, String exe, String cmdline) {
        this(pid, tgid, uid, gid, comm, exe, cmdline, null, Lineage.UNKNOWN);
    }

    /** An opener whose parent chain is unknown. */
    public Opener(int pid, int tgid, int uid, int gid, String comm, String exe, String cmdline, Instant exeChangedAt) {
        this(pid, tgid, uid, gid, comm, exe, cmdline, exeChangedAt, Lineage.UNKNOWN);
    }

    public Opener {
        comm = bound(comm, MAX_COMM);
        exe = bound(exe, MAX_EXE);
        cmdline = bound(cmdline, MAX_CMDLINE);
        lineage = lineage == null ? Lineage.UNKNOWN : lineage;
    }

    /** The same opener, with its parent chain. */
    public Opener withLineage(Lineage known) {
        return new Opener(pid, tgid, uid, gid, comm, exe, cmdline, exeChangedAt, known);
    }

    /**
     * {@code value} if it has at most {@code max} characters, else its start and {@link #TRUNCATED}, {@code max}
     * characters in all; null becomes empty. Bounding twice changes nothing.
     */
    public static String bound(String value, int max) {
        if (value == null) {
            return "";
        }
        if (value.length() <= max) {
            return value;
        }
        int keep = max - TRUNCATED.length();
        if (keep > 0 && Character.isHighSurrogate(value.charAt(keep - 1))) {
            keep--; // never split a surrogate pair
        }
        return value.substring(0, keep) + TRUNCATED;
    }

    /** The same process: its id and executable match (a reused pid runs another binary). */
    public boolean sameProcess(Opener other) {
        return tgid == other.tgid && exe.equals(other.exe) && comm.equals(other.comm);
    }
}
