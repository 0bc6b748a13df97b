package dev.beesting.operator.decoy;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A token bucket per source address, so one client cannot flood the decoy (or the alerts behind it). The table is
 * bounded: past {@code maxSources} addresses the least recently seen one is forgotten, which only ever gives that
 * address a full bucket again.
 */
final class SourceRateLimiter {
    private final double perSecond;
    private final double burst;
    private final LongSupplier nanoTime;
    private final Map<InetAddress, Bucket> buckets;

    SourceRateLimiter(double perSecond, int burst, int maxSources, LongSupplier nanoTime) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.nanoTime = nanoTime;
        this.buckets = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<InetAddress, Bucket> eldest) {
                return size() > maxSources;
            }
        };
    }

    /** Takes one token from the source's bucket; false when it is empty. */
    synchronized boolean tryAcquire(InetAddress source) {
        long now = nanoTime.getAsLong();
        Bucket bucket = buckets.computeIfAbsent(source, s -> new Bucket(burst, now));
        bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.refilledAt) / 1e9 * perSecond);
        bucket.refilledAt = now;
        if (bucket.tokens < 1) {
            return false;
        }
        bucket.tokens -= 1;
        return true;
    }

    private static final class Bucket {
        double tokens;
        long refilledAt;

        Bucket(double tokens, long refilledAt) {
            this.tokens = tokens;
            this.refilledAt = refilledAt;
        }
    }
}
