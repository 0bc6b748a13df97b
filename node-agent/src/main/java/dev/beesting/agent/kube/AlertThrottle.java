package dev.beesting.agent.kube;

import dev.beesting.agent.retry.TokenBucket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the {@link AlertWriteLimit} to the alert writer's deliveries: one starts while the bucket holds a token and
 * then pays for the requests it made (a new alert is 3), which may overdraw the bucket; the next waits that out.
 * Counts what it held back for the metrics. Used by the writer's loop thread; the counts are read from any thread.
 */
final class AlertThrottle {
    private static final Logger LOG = LoggerFactory.getLogger(AlertThrottle.class);

    private final AlertWriteLimit limit;
    private final TokenBucket bucket; // null: no limit
    private final AtomicLong throttled = new AtomicLong();
    private volatile int waiting;
    private Object lastHeldBack; // loop thread only

    AlertThrottle(AlertWriteLimit limit, LongSupplier nanoTime) {
        this.limit = limit;
        this.bucket = limit.perSecond() > 0 ? new TokenBucket(limit.perSecond(), limit.burst(), nanoTime) : null;
    }

    /**
     * Zero when the delivery of {@code next} may start now; otherwise how long until it may, and {@code next} and
     * the {@code due} alerts behind it (itself included) wait.
     */
    Duration turn(Object next, int due) {
        Duration wait = bucket == null ? Duration.ZERO : bucket.untilAvailable();
        if (!wait.isPositive()) {
            return Duration.ZERO;
        }
        if (waiting == 0) {
            LOG.info(
                    "alert write limit reached, alerts wait their turn waiting={} perSecond={} burst={}",
                    due,
                    limit.perSecond(),
                    limit.burst());
        }
        waiting = due;
        if (next != lastHeldBack) {
            lastHeldBack = next;
            throttled.incrementAndGet();
        }
        return wait;
    }

    /** A delivery made {@code requests} API requests. */
    void spent(long requests) {
        if (bucket != null) {
            bucket.spend(requests);
        }
    }

    /** Every alert that was due got its turn. */
    void caughtUp() {
        if (waiting > 0) {
            waiting = 0;
            LOG.info("alert write limit no longer holds alerts back throttledTotal={}", throttled.get());
        }
    }

    /** Alert deliveries that waited for the limit, each counted once however long it waited. */
    long throttled() {
        return throttled.get();
    }

    /** Alerts due now that the limit holds back. */
    int waiting() {
        return waiting;
    }
}
