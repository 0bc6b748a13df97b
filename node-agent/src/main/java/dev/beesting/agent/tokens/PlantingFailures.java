package dev.beesting.agent.tokens;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Counts and logs what the token store could not do; every such fault fails one token, never a container. */
final class PlantingFailures {
    private static final Logger LOG = LoggerFactory.getLogger(PlantingFailures.class);

    private final AtomicLong count = new AtomicLong();

    void failed(String what, String containerId, String path, Exception e) {
        count.incrementAndGet();
        LOG.error("{} container={} path={} error={}", what, containerId, path, e.toString());
    }

    /** Counts a fault its caller logged with its own context. */
    void counted() {
        count.incrementAndGet();
    }

    long count() {
        return count.get();
    }
}
