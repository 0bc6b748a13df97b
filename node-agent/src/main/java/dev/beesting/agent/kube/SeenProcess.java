package dev.beesting.agent.kube;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.beesting.agent.alerts.Alert;
import dev.beesting.agent.model.Lineage;
import dev.beesting.agent.model.Opener;
import java.time.Instant;

/**
 * A process that opened a token, and when it last did, as the alert reports it.
 *
 * @param process the opener
 * @param time when it last opened the token
 */
public record SeenProcess(Opener process, Instant time) {
    static SeenProcess of(Alert alert) {
        return new SeenProcess(alert.opener(), alert.time());
    }

    /** Two sightings are of the same process when pid and executable match (a reused pid runs another binary). */
    boolean sameProcess(SeenProcess other) {
        return process.sameProcess(other.process);
    }

    /**
     * The form pending alerts keep on disk: the flat fields of the first format, {@code pid} being the process id,
     * and the parent chain (absent from files of the first release).
     */
    record Saved(int pid, String comm, String exe, String cmdline, int uid, int gid, Instant time, Lineage lineage) {}

    @JsonValue
    Saved saved() {
        return new Saved(
                process.tgid(),
                process.comm(),
                process.exe(),
                process.cmdline(),
                process.uid(),
                process.gid(),
                time,
                process.lineage());
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static SeenProcess restore(Saved saved) {
        return new SeenProcess(
                new Opener(
                        saved.pid(),
                        saved.pid(),
                        saved.uid(),
                        saved.gid(),
                        saved.comm(),
                        saved.exe(),
                        saved.cmdline(),
                        null,
                        saved.lineage()),
                saved.time());
    }
}
