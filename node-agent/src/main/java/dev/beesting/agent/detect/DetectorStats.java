package dev.beesting.agent.detect;

/**
 * Counters of a detector since it started, so no event is ever lost silently.
 *
 * @param hits opens of armed files
 * @param emitted events handed towards the agent
 * @param rateLimited events the per-(token, process) rate limit held back (their opens are still counted)
 * @param dropped events lost (ring buffer full, fanotify queue overflow)
 */
public record DetectorStats(long hits, long emitted, long rateLimited, long dropped) {}
