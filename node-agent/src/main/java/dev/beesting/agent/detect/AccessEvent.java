package dev.beesting.agent.detect;

import java.time.Instant;

/**
 * One observed open of an armed file, as the kernel reported it.
 *
 * @param tokenId the id {@link Detector#arm} returned for the file
 * @param time when the agent received the event
 * @param pid thread id of the opener
 * @param tgid process id of the opener
 * @param uid real uid of the opener
 * @param gid real gid of the opener
 * @param comm the opener's command name (at most 15 characters)
 * @param tier the tier that saw the open
 * @param denied whether the open was denied
 * @param count total opens of this token seen by the kernel so far, exact even when events were rate limited
 * @param process the opener's executable and command line, read from /proc as early as the tier allows
 */
public record AccessEvent(
        long tokenId,
        Instant time,
        int pid,
        int tgid,
        int uid,
        int gid,
        String comm,
        Tier tier,
        boolean denied,
        long count,
        ProcessInfo process) {

    /** An event without executable and command line (for callers that do not resolve them). */
    public AccessEvent(
            long tokenId,
            Instant time,
            int pid,
            int tgid,
            int uid,
            int gid,
            String comm,
            Tier tier,
            boolean denied,
            long count) {
        this(tokenId, time, pid, tgid, uid, gid, comm, tier, denied, count, ProcessInfo.UNKNOWN);
    }
}
