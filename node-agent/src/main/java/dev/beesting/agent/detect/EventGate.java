package dev.beesting.agent.detect;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a detector's events go: to the sink once {@link Detector#start} gave one, kept until then (bounded), since
 * openers are answered before anyone listens. A failing sink loses that event only.
 */
final class EventGate {
    private static final Logger log = LoggerFactory.getLogger(EventGate.class);
    private static final int EARLY_MAX = 1024;

    private final String tier;
    private final Deque<AccessEvent> early = new ArrayDeque<>();
    private final AtomicLong emitted = new AtomicLong();
    private final AtomicLong dropped;
    private volatile Consumer<AccessEvent> sink;

    /** @param dropped where events lost before the start are counted */
    EventGate(String tier, AtomicLong dropped) {
        this.tier = tier;
        this.dropped = dropped;
    }

    void start(Consumer<AccessEvent> newSink) {
        synchronized (early) {
            if (sink != null) {
                throw new IllegalStateException("already started");
            }
            sink = newSink;
            early.forEach(event -> deliver(event, newSink));
            early.clear();
        }
    }

    void accept(AccessEvent event) {
        Consumer<AccessEvent> current = sink;
        if (current == null) {
            synchronized (early) {
                if (sink == null) {
                    if (early.size() < EARLY_MAX) {
                        early.add(event);
                    } else {
                        dropped.incrementAndGet();
                    }
                    return;
                }
                current = sink;
            }
        }
        deliver(event, current);
    }

    /** Events handed to the sink. */
    long emitted() {
        return emitted.get();
    }

    private void deliver(AccessEvent event, Consumer<AccessEvent> target) {
        emitted.incrementAndGet();
        try {
            target.accept(event);
        } catch (RuntimeException e) {
            log.error("event sink failed tier={}", tier, e);
        }
    }
}
