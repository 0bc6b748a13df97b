package dev.beesting.agent.kube;

import dev.beesting.agent.alerts.Alert;
import java.time.Instant;

/**
 * A process that opened a token, as the alert reports it.
 *
 * @param pid process id (thread group) in the node's PID namespace
 * @param comm command name
 * @param exe executable path
 * @param cmdline command line
 * @param uid real uid
 * @param gid real gid
 * @param time when it last opened the token
 */
public record SeenProcess(int pid, String comm, String exe, String cmdline, int uid, int gid, Instant time) {
    static SeenProcess of(Alert alert) {
        return new SeenProcess(
                alert.tgid(), alert.comm(), alert.exe(), alert.cmdline(), alert.uid(), alert.gid(), alert.time());
    }

    /** Two sightings are the same process when pid and executable match (a reused pid runs another binary). */
    boolean sameProcess(SeenProcess other) {
        return pid == other.pid && exe.equals(other.exe) && comm.equals(other.comm);
    }
}
