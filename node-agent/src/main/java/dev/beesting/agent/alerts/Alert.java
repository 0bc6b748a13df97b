package dev.beesting.agent.alerts;

import dev.beesting.agent.detect.AccessEvent;
import java.time.Instant;

/**
 * One access to a token, attributed: what was opened, by whom, seen by which tier.
 *
 * @param time when the agent received the event
 * @param token the token
 * @param pid thread id of the opener
 * @param tgid process id of the opener
 * @param uid real uid
 * @param gid real gid
 * @param comm command name
 * @param exe executable path
 * @param cmdline command line
 * @param tier detector tier
 * @param count opens of this token so far, exact
 * @param denied whether the open was denied
 */
public record Alert(
        Instant time,
        TokenRef token,
        int pid,
        int tgid,
        int uid,
        int gid,
        String comm,
        String exe,
        String cmdline,
        String tier,
        long count,
        boolean denied) {

    /** The alert for an access to a token. */
    public static Alert of(AccessEvent event, TokenRef token) {
        return new Alert(
                event.time(),
                token,
                event.pid(),
                event.tgid(),
                event.uid(),
                event.gid(),
                event.comm(),
                event.process().exe(),
                event.process().cmdline(),
                event.tier().id(),
                event.count(),
                event.denied());
    }
}
