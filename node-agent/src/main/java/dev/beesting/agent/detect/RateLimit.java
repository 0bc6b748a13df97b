package dev.beesting.agent.detect;

import java.time.Duration;

/**
 * At most {@code burst} events per (token, process) per {@code window}, and at most {@link #perToken()} per token;
 * further opens only bump the token's counter. A burst of 0 turns the limit off.
 */
public record RateLimit(int burst, Duration window) {
    public static final RateLimit DEFAULT = new RateLimit(16, Duration.ofSeconds(1));
    public static final RateLimit OFF = new RateLimit(0, Duration.ofSeconds(1));

    /**
     * How many processes' bursts one token may emit per window before its budget is spent: 256 events a second
     * with the default, so a hundred distinct readers at once are each reported, while the ring buffer (about 6000
     * events, and one event per token per window once it is half full) keeps room for every other token.
     */
    static final int PROCESSES_PER_TOKEN = 16;

    public RateLimit {
        if (burst < 0) {
            throw new IllegalArgumentException("burst must not be negative: " + burst);
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive: " + window);
        }
    }

    /**
     * The budget of one token, whatever number of processes open it: without it, a flood from many processes on one
     * token fills the shared queue to the agent and pushes out the one open of another token in another container.
     */
    public RateLimit perToken() {
        return burst == 0 ? this : new RateLimit(burst * PROCESSES_PER_TOKEN, window);
    }
}
