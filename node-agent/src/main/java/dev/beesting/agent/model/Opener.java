package dev.beesting.agent.model;

/**
 * The process that opened a token, as the agent attributes it; the one form every package uses from the detector
 * on. Strings are empty, never null, when the kernel or /proc could not tell.
 *
 * @param pid thread id of the opener (the kernel's pid)
 * @param tgid process id of the opener (thread group), in the node's PID namespace
 * @param uid real uid
 * @param gid real gid
 * @param comm command name (at most 15 characters)
 * @param exe executable path
 * @param cmdline command line, arguments joined by spaces
 */
public record Opener(int pid, int tgid, int uid, int gid, String comm, String exe, String cmdline) {

    /** The same process: its id and executable match (a reused pid runs another binary). */
    public boolean sameProcess(Opener other) {
        return tgid == other.tgid && exe.equals(other.exe) && comm.equals(other.comm);
    }
}
