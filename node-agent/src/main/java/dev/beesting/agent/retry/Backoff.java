package dev.beesting.agent.retry;

import java.time.Duration;

/**
 * The pacing of a retry loop (NRI reconnect, API writes): after each failure the next attempt waits twice as long, up
 * to a cap; a success starts again from the first wait. Paced in monotonic time, as it is about the network. Not
 * thread-safe: one loop owns it.
 */
public final class Backoff {
    private final Duration first;
    private final Duration max;
    private Duration next;
    private boolean failing;
    private long retryAtNanos = System.nanoTime();

    /**
     * @param first wait after the first failure
     * @param max longest wait
     */
    public Backoff(Duration first, Duration max) {
        this.first = first;
        this.max = max;
        this.next = first;
    }

    /** The shorter of two waits. */
    public static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** An attempt failed: returns how long to wait before the next, which {@link #untilRetry()} counts down. */
    public Duration failed() {
        Duration wait = next;
        failing = true;
        retryAtNanos = System.nanoTime() + wait.toNanos();
        next = min(next.multipliedBy(2), max);
        return wait;
    }

    /** An attempt succeeded: the next failure waits the first wait again. */
    public void succeeded() {
        failing = false;
        next = first;
    }

    /** Whether the last attempt failed. */
    public boolean failing() {
        return failing;
    }

    /** The wait before the next attempt may be made; zero or negative when it may be made now. */
    public Duration untilRetry() {
        return Duration.ofNanos(retryAtNanos - System.nanoTime());
    }
}
