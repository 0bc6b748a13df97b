package dev.beesting.agent.retry;

import java.time.Duration;

/** The arithmetic of the agent's retry loops (NRI reconnect, API writes): waits that grow up to a cap. */
public final class Backoff {
    private Backoff() {}

    /** The shorter of two waits. */
    public static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
