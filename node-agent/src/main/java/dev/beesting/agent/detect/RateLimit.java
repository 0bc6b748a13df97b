package dev.beesting.agent.detect;

import java.time.Duration;

/**
 * At most {@code burst} events per (token, process) per {@code window}; further opens only bump the token's
 * counter. A burst of 0 turns the limit off.
 */
public record RateLimit(int burst, Duration window) {
    public static final RateLimit DEFAULT = new RateLimit(16, Duration.ofSeconds(1));
    public static final RateLimit OFF = new RateLimit(0, Duration.ofSeconds(1));

    public RateLimit {
        if (burst < 0) {
            throw new IllegalArgumentException("burst must not be negative: " + burst);
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive: " + window);
        }
    }
}
