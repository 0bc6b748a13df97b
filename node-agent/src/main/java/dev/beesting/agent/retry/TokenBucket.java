package dev.beesting.agent.retry;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A client-side request limit: a bucket that fills at a steady rate up to a burst, in monotonic time. A caller goes
 * ahead while the bucket holds a token and then spends what it used, which may take the bucket below zero (one
 * delivery is a few requests); the next caller waits that debt out. Over any span {@code t} it lets through at most
 * {@code burst + perSecond × t} requests plus one caller's overdraft. Thread-safe.
 */
public final class TokenBucket {
    private final double perNano;
    private final double burst;
    private final LongSupplier nanoTime;
    private double tokens;
    private long filledAt;

    /**
     * @param perSecond tokens added per second (greater than zero)
     * @param burst tokens the bucket holds at most, and holds at the start (at least one)
     * @param nanoTime the monotonic clock, {@link System#nanoTime()} outside tests
     */
    public TokenBucket(double perSecond, int burst, LongSupplier nanoTime) {
        if (!(perSecond > 0) || burst < 1) {
            throw new IllegalArgumentException(
                    "a token bucket needs a rate above 0 and a burst of at least 1, got " + perSecond + "/s, " + burst);
        }
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.nanoTime = nanoTime;
        this.tokens = burst;
        this.filledAt = nanoTime.getAsLong();
    }

    /** How long until the bucket holds a token; zero when it holds one now. */
    public synchronized Duration untilAvailable() {
        fill();
        return tokens >= 1 ? Duration.ZERO : Duration.ofNanos((long) Math.ceil((1 - tokens) / perNano));
    }

    /** Takes out {@code used} tokens, below zero if there are fewer. */
    public synchronized void spend(long used) {
        fill();
        tokens -= used;
    }

    private void fill() {
        long now = nanoTime.getAsLong();
        tokens = Math.min(burst, tokens + (now - filledAt) * perNano);
        filledAt = now;
    }
}
