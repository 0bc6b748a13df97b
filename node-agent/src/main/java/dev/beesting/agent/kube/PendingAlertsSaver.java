package dev.beesting.agent.kube;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves the undelivered alerts to the state dir when they changed, at most once per interval (paced in monotonic
 * time: it is about the disk). Used from the writer's thread only.
 */
final class PendingAlertsSaver {
    private static final Logger LOG = LoggerFactory.getLogger(PendingAlertsSaver.class);

    private final AlertStore store;
    private final PendingAlertsFile file;
    private final Duration interval;
    private long savedAtNanos = System.nanoTime() - Long.MAX_VALUE / 4;

    PendingAlertsSaver(AlertStore store, PendingAlertsFile file, Duration interval) {
        this.store = store;
        this.file = file;
        this.interval = interval;
    }

    /**
     * Saves when due ({@code force}: now, whatever the pacing).
     *
     * @return how long until a save may be due, or {@code idle} when none waits
     */
    Duration save(boolean force, Duration idle) {
        if (!store.hasChanges()) {
            return idle;
        }
        long untilDue = savedAtNanos + interval.toNanos() - System.nanoTime();
        if (!force && untilDue > 0) {
            return Duration.ofNanos(untilDue);
        }
        Optional<List<AlertRecord>> pending = store.takeChanges();
        if (pending.isEmpty()) {
            return idle;
        }
        savedAtNanos = System.nanoTime();
        try {
            file.save(pending.get());
        } catch (IOException e) {
            LOG.error("pending alerts cannot be saved file={} error={}", file.path(), e.toString());
            store.changed();
        }
        return idle;
    }
}
