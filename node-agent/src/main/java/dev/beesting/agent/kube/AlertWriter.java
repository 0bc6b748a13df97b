package dev.beesting.agent.kube;

import static dev.beesting.agent.retry.Backoff.min;

import dev.beesting.agent.alerts.Alert;
import dev.beesting.agent.alerts.AlertSink;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns alerts into one HoneytokenAlert per (pod uid, container, path) plus a Warning Event on the Pod. The first
 * access is written at once; later ones update counts at most once per {@link Settings#minWriteInterval()} per
 * alert. {@link #publish} only updates memory and signals; a virtual thread does the API calls, retries through
 * outages with backoff and keeps what is not yet delivered in the state dir so a restart loses nothing.
 */
public final class AlertWriter implements AlertSink {
    private static final Logger LOG = LoggerFactory.getLogger(AlertWriter.class);
    private static final Duration IDLE = Duration.ofSeconds(5);

    /**
     * Tuning.
     *
     * @param minWriteInterval at most one write per alert object in this interval (the first is immediate)
     * @param retryMin first delay after the API failed
     * @param retryMax longest delay between attempts during an outage
     * @param persistInterval at most one write of the pending-alerts file in this interval
     * @param maxAlerts alerts kept in memory; beyond it the least recently seen is forgotten
     */
    public record Settings(
            Duration minWriteInterval, Duration retryMin, Duration retryMax, Duration persistInterval, int maxAlerts) {
        public static Settings defaults() {
            return new Settings(
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(30),
                    Duration.ofSeconds(1),
                    10_000);
        }
    }

    private final Settings settings;
    private final Clock clock;
    private final AlertApi api;
    private final PendingAlertsFile file;
    private final Object lock = new Object();
    // access order: the head is the alert seen least recently, the first to forget when full
    private final LinkedHashMap<AlertKey, AlertState> states = new LinkedHashMap<>(64, 0.75f, true);
    private final Semaphore wake = new Semaphore(0);
    private final AtomicLong writeErrors = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final Thread worker;
    private volatile boolean running = true;

    // guarded by lock
    private boolean persistNeeded;
    private boolean fileHasAlerts;
    // flush thread only
    // retries and file saves are paced in monotonic time: they are about the network and the disk, while the
    // injected clock decides what alerts say and when an alert may be written again
    private long retryAtNanos = System.nanoTime();
    private Duration backoff;
    private long persistedAtNanos = System.nanoTime() - Long.MAX_VALUE / 4;
    private boolean outage;

    private AlertWriter(KubernetesClient client, Path stateDir, Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.api = new AlertApi(client);
        this.file = new PendingAlertsFile(stateDir);
        this.backoff = settings.retryMin();
        restorePending();
        this.worker = Thread.ofVirtual().name("alert-writer").start(this::run);
    }

    /** Loads alerts a previous run could not deliver and starts delivering. */
    public static AlertWriter start(KubernetesClient client, Path stateDir, Settings settings, Clock clock) {
        return new AlertWriter(client, stateDir, settings, clock);
    }

    private void restorePending() {
        List<AlertRecord> pending;
        try {
            pending = file.load();
        } catch (IOException | RuntimeException e) {
            LOG.error(
                    "pending alerts cannot be read, starting without them file={} error={}", file.path(), e.toString());
            return;
        }
        Instant now = clock.instant();
        synchronized (lock) {
            for (AlertRecord record : pending) {
                states.put(record.key(), AlertState.restore(record, now));
            }
            fileHasAlerts = !pending.isEmpty();
        }
        if (!pending.isEmpty()) {
            LOG.info("restored undelivered alerts pending={} file={}", pending.size(), file.path());
        }
    }

    @Override
    public void publish(Alert alert) {
        if (alert.token().kube() == null) {
            return; // standalone token: nothing to write in a cluster
        }
        synchronized (lock) {
            AlertKey key = AlertKey.of(alert.token().kube(), alert.token().path());
            AlertState state = states.get(key);
            if (state == null) {
                makeRoom();
                states.put(key, AlertState.first(alert, clock.instant()));
            } else {
                state.apply(alert);
            }
            persistNeeded = true;
        }
        wake.release();
    }

    private void makeRoom() {
        if (states.size() < settings.maxAlerts()) {
            return;
        }
        Iterator<AlertState> oldest = states.values().iterator();
        while (oldest.hasNext()) {
            if (!oldest.next().pending()) {
                oldest.remove();
                return;
            }
        }
        AlertState victim = states.values().iterator().next();
        states.remove(victim.key());
        long total = dropped.incrementAndGet();
        LOG.warn(
                "too many undelivered alerts, forgot the oldest alert={} dropped={}",
                victim.key().objectName(),
                total);
    }

    /** Wakes the writer now (for example after a test moved its clock). */
    public void wake() {
        wake.release();
    }

    /** API calls that failed. */
    public long writeErrors() {
        return writeErrors.get();
    }

    /** API requests made (creates, status and Event patches, reads of pre-existing alerts). */
    public long apiRequests() {
        return api.requests();
    }

    /** Undelivered alerts forgotten because {@link Settings#maxAlerts()} were pending at once. */
    public long dropped() {
        return dropped.get();
    }

    /** Alerts with changes not yet written to the API server. */
    public int pending() {
        synchronized (lock) {
            return (int) states.values().stream().filter(AlertState::pending).count();
        }
    }

    private void run() {
        while (running) {
            Instant now = clock.instant();
            Duration wait = min(flush(now, false), persist(false));
            try {
                if (wait.isPositive()) {
                    wake.tryAcquire(Math.max(1, wait.toMillis()), TimeUnit.MILLISECONDS);
                }
                wake.drainPermits();
            } catch (InterruptedException e) {
                break;
            }
        }
        // last chance on shutdown: deliver what waits on the rate limit, keep on disk whatever is left
        Instant now = clock.instant();
        if (System.nanoTime() - retryAtNanos >= 0) {
            flush(now, true);
        }
        persist(true);
    }

    /** Writes every alert that is due; returns how long until the next one is. */
    private Duration flush(Instant now, boolean all) {
        long untilRetry = retryAtNanos - System.nanoTime();
        if (untilRetry > 0) {
            return Duration.ofNanos(untilRetry);
        }
        List<AlertState> due = new ArrayList<>();
        Instant next = null;
        synchronized (lock) {
            for (AlertState state : states.values()) {
                if (!state.pending()) {
                    continue;
                }
                if (all || !state.nextWriteAt().isAfter(now)) {
                    due.add(state);
                } else if (next == null || state.nextWriteAt().isBefore(next)) {
                    next = state.nextWriteAt();
                }
            }
        }
        for (AlertState state : due) {
            try {
                write(state, now);
            } catch (KubernetesClientException e) {
                writeErrors.incrementAndGet();
                if (!retryable(e)) {
                    giveUp(state, e);
                    continue;
                }
                startOrExtendOutage(e);
                return backoff;
            }
        }
        if (outage && !due.isEmpty()) {
            outage = false;
            backoff = settings.retryMin();
            LOG.info("API server reachable again, pending alerts delivered delivered={}", due.size());
        }
        return next == null ? IDLE : Duration.between(now, next);
    }

    private void write(AlertState state, Instant now) {
        AlertRecord record;
        long version;
        boolean alertPending;
        boolean alertExists;
        synchronized (lock) {
            record = state.snapshot();
            version = state.version();
            alertPending = state.alertPending();
            alertExists = state.alertExists();
        }
        if (alertPending) {
            if (!alertExists) {
                var existing = api.createAlert(record);
                synchronized (lock) {
                    if (existing.isEmpty()) {
                        state.created();
                    } else {
                        state.adopt(existing.get().getStatus());
                        record = state.snapshot();
                        version = state.version();
                    }
                    state.alertExists(true);
                }
            }
            if (!api.patchAlertStatus(record)) {
                synchronized (lock) {
                    state.alertExists(false); // deleted by someone: create it again next round
                    state.nextWriteAt(now);
                    wake.release();
                }
                return;
            }
            synchronized (lock) {
                state.alertWritten(version);
            }
        }
        boolean eventPending;
        boolean eventExists;
        synchronized (lock) {
            eventPending = state.eventPending();
            eventExists = state.eventExists();
        }
        if (eventPending) {
            boolean written = eventExists ? api.patchEvent(record) : api.createOrPatchEvent(record);
            synchronized (lock) {
                state.eventExists(written);
                if (!written) {
                    state.nextWriteAt(now); // deleted (Events expire): create it again next round
                    wake.release();
                    return;
                }
                state.eventWritten(version);
            }
        }
        synchronized (lock) {
            state.nextWriteAt(now.plus(settings.minWriteInterval()));
            persistNeeded = true;
        }
    }

    private void giveUp(AlertState state, KubernetesClientException e) {
        // the API refuses this object for good (forbidden, invalid, namespace gone): retrying cannot help
        LOG.error(
                "API server refused the alert, giving up on this update alert={} namespace={} code={} error={}",
                state.key().objectName(),
                state.key().namespace(),
                e.getCode(),
                e.getMessage());
        synchronized (lock) {
            state.alertWritten(state.version());
            state.eventWritten(state.version());
            persistNeeded = true;
        }
    }

    private void startOrExtendOutage(KubernetesClientException e) {
        if (!outage) {
            outage = true;
            LOG.warn(
                    "API server unreachable, keeping alerts until it returns pending={} error={}",
                    pending(),
                    e.getMessage());
        } else {
            backoff = min(backoff.multipliedBy(2), settings.retryMax());
        }
        retryAtNanos = System.nanoTime() + backoff.toNanos();
    }

    static boolean retryable(KubernetesClientException e) {
        int code = e.getCode();
        // code 0 or below: no HTTP answer at all (connection refused, timeout)
        return code <= 0 || code == 408 || code == 409 || code == 429 || code >= 500;
    }

    /** Saves undelivered alerts when they changed, at most once per persist interval; returns when to call again. */
    private Duration persist(boolean force) {
        List<AlertRecord> pending;
        synchronized (lock) {
            if (!persistNeeded) {
                return IDLE;
            }
            long untilDue = persistedAtNanos + settings.persistInterval().toNanos() - System.nanoTime();
            if (!force && untilDue > 0) {
                return Duration.ofNanos(untilDue);
            }
            pending = states.values().stream()
                    .filter(AlertState::pending)
                    .map(AlertState::snapshot)
                    .toList();
            persistNeeded = false;
            if (pending.isEmpty() && !fileHasAlerts) {
                return IDLE;
            }
            fileHasAlerts = !pending.isEmpty();
        }
        persistedAtNanos = System.nanoTime();
        try {
            file.save(pending);
        } catch (IOException e) {
            LOG.error("pending alerts cannot be saved file={} error={}", file.path(), e.toString());
            synchronized (lock) {
                persistNeeded = true;
            }
        }
        return IDLE;
    }

    /** Delivers what it can right away, saves the rest to the state dir, then stops. */
    @Override
    public void close() {
        running = false;
        wake.release();
        try {
            if (!worker.join(Duration.ofSeconds(30))) {
                LOG.warn("alert writer did not stop in time, pending alerts may be unsaved");
                worker.interrupt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
