package dev.beesting.agent.kube;

import static dev.beesting.agent.retry.Backoff.min;

import dev.beesting.agent.alerts.Alert;
import dev.beesting.agent.alerts.AlertSink;
import dev.beesting.agent.retry.Backoff;
import dev.beesting.agent.retry.PacedLoop;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns alerts into one HoneytokenAlert per (pod uid, container, path) plus a Warning Event on the Pod. The first
 * access is written at once; later ones update counts at most once per {@link Settings#minWriteInterval()} per
 * alert. {@link #publish} only updates memory and signals; a virtual thread does the API calls, retries through
 * outages with backoff and keeps what is not yet delivered in the state dir so a restart loses nothing. Its requests
 * keep to an {@link AlertWriteLimit}; alerts over it wait in the store.
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
     * @param maxAttempts answered failures of one alert's update (a 500 for it while others succeed) before that
     *     update is dropped, so one poison alert never holds up the others
     * @param writeLimit the agent's request limit for alerts and Events
     */
    public record Settings(
            Duration minWriteInterval,
            Duration retryMin,
            Duration retryMax,
            Duration persistInterval,
            int maxAlerts,
            int maxAttempts,
            AlertWriteLimit writeLimit) {
        public static final int DEFAULT_MAX_ATTEMPTS = 10;

        public Settings(
                Duration minWriteInterval,
                Duration retryMin,
                Duration retryMax,
                Duration persistInterval,
                int maxAlerts) {
            this(
                    minWriteInterval,
                    retryMin,
                    retryMax,
                    persistInterval,
                    maxAlerts,
                    DEFAULT_MAX_ATTEMPTS,
                    AlertWriteLimit.DEFAULT);
        }

        public Settings withWriteLimit(AlertWriteLimit limit) {
            return new Settings(minWriteInterval, retryMin, retryMax, persistInterval, maxAlerts, maxAttempts, limit);
        }

        public static Settings defaults() {
            return new Settings(
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(30),
                    Duration.ofSeconds(1),
                    10_000);
        }
    }

    private final Clock clock;
    private final AlertStore store;
    private final PendingAlertsFile file;
    private final PendingAlertsSaver saver;
    private final AlertDelivery delivery;
    private final Settings settings;
    private final AtomicLong writeErrors = new AtomicLong();
    private final PacedLoop loop;
    static final Duration STUCK = Duration.ofMinutes(10);
    // loop thread only; retries are paced in monotonic time (they are about the network), while the injected
    // clock decides what alerts say and when an alert may be written again
    private final Backoff outage;
    private final AlertThrottle throttle;

    private AlertWriter(KubernetesClient client, Path stateDir, Settings settings, Clock clock, LongSupplier nanoTime) {
        this.clock = clock;
        this.settings = settings;
        this.store = new AlertStore(settings.maxAlerts());
        this.file = new PendingAlertsFile(stateDir);
        this.saver = new PendingAlertsSaver(store, file, settings.persistInterval());
        this.loop = new PacedLoop("alert-writer", this::step, this::last);
        this.delivery = new AlertDelivery(
                new AlertApi(client), store, AlertNames.inStateDir(stateDir), settings.minWriteInterval(), loop::wake);
        this.outage = new Backoff(settings.retryMin(), settings.retryMax());
        this.throttle = new AlertThrottle(settings.writeLimit(), nanoTime);
        restorePending();
        loop.start();
    }

    /** Loads alerts a previous run could not deliver and starts delivering. */
    public static AlertWriter start(KubernetesClient client, Path stateDir, Settings settings, Clock clock) {
        return start(client, stateDir, settings, clock, System::nanoTime);
    }

    /** With the write limit's monotonic clock given (a test's). */
    static AlertWriter start(
            KubernetesClient client, Path stateDir, Settings settings, Clock clock, LongSupplier nanoTime) {
        return new AlertWriter(client, stateDir, settings, clock, nanoTime);
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
        store.restore(pending, clock.instant());
        if (!pending.isEmpty()) {
            LOG.info("restored undelivered alerts pending={} file={}", pending.size(), file.path());
        }
    }

    @Override
    public void publish(Alert alert) {
        if (alert.token().workload() == null) {
            return; // standalone token: nothing to write in a cluster
        }
        store.record(alert, clock.instant());
        loop.wake();
    }

    /** Wakes the writer now (for example after a test moved its clock). */
    public void wake() {
        loop.wake();
    }

    /**
     * For the liveness probe: the delivery loop runs, idle or in a step younger than {@link #STUCK}. A step writes
     * every due alert, each a few bounded API calls, so even a large backlog takes far less.
     */
    public boolean alive() {
        return loop.alive(STUCK);
    }

    /** API calls that failed. */
    public long writeErrors() {
        return writeErrors.get();
    }

    /** API requests made (creates, status and Event patches, reads of pre-existing alerts). */
    public long apiRequests() {
        return delivery.requests();
    }

    /** Alerts whose usual name held an object with another spec (forged or squatted), written under another name. */
    public long squatted() {
        return delivery.squatted();
    }

    /** Alert updates dropped because the API server refused them for good or kept failing them. */
    public long rejected() {
        return delivery.rejected();
    }

    /** Undelivered alerts forgotten because {@link Settings#maxAlerts()} were pending at once. */
    public long dropped() {
        return store.dropped();
    }

    /** Alert deliveries that waited for the {@link AlertWriteLimit}, each counted once. */
    public long throttled() {
        return throttle.throttled();
    }

    /** Alerts due now that the {@link AlertWriteLimit} holds back. */
    public int waitingForLimit() {
        return throttle.waiting();
    }

    /** Alerts with changes not yet written to the API server. */
    public int pending() {
        return store.pending();
    }

    private Duration step() {
        return min(flush(clock.instant(), false), saver.save(false, IDLE));
    }

    /** Last chance on shutdown: deliver what waits on the rate limit, keep on disk whatever is left. */
    private void last() {
        Instant now = clock.instant();
        if (!outage.untilRetry().isPositive()) {
            flush(now, true);
        }
        saver.save(true, IDLE);
    }

    /** Writes every alert that is due; returns how long until the next one is. */
    private Duration flush(Instant now, boolean all) {
        Duration untilRetry = outage.untilRetry();
        if (untilRetry.isPositive()) {
            return untilRetry;
        }
        AlertStore.Due due = store.due(now, all);
        Instant next = due.next();
        for (int i = 0; i < due.now().size(); i++) {
            AlertState state = due.now().get(i);
            Duration untilTurn = throttle.turn(state, due.now().size() - i);
            if (untilTurn.isPositive()) {
                reachable(i);
                return untilTurn; // the rest stay pending in the store, first in line next time
            }
            long requestsBefore = delivery.requests();
            try {
                delivery.write(state, now);
            } catch (KubernetesClientException e) {
                writeErrors.incrementAndGet();
                if (AlertDelivery.outage(e)) {
                    if (!outage.failing()) {
                        LOG.warn(
                                "API server unreachable, keeping alerts until it returns pending={} error={}",
                                pending(),
                                e.getMessage());
                    }
                    return outage.failed();
                }
                if (!AlertDelivery.retryable(e)) {
                    delivery.giveUp(state, e);
                } else {
                    // answered, but for this alert only: retry it alone, later, a bounded number of times
                    Instant retryAt = delivery.retryLater(state, now, e, settings);
                    if (retryAt != null && (next == null || retryAt.isBefore(next))) {
                        next = retryAt;
                    }
                }
            } catch (RuntimeException e) {
                // whatever the API server answered (a forged object, a malformed field) must not end this loop
                writeErrors.incrementAndGet();
                delivery.giveUp(state, e);
            } finally {
                throttle.spent(delivery.requests() - requestsBefore);
            }
        }
        throttle.caughtUp();
        reachable(due.now().size());
        return next == null ? IDLE : Duration.between(now, next);
    }

    private void reachable(int delivered) {
        if (outage.failing() && delivered > 0) {
            outage.succeeded();
            LOG.info("API server reachable again, pending alerts delivered delivered={}", delivered);
        }
    }

    /** Delivers what it can right away, saves the rest to the state dir, then stops. */
    @Override
    public void close() {
        if (!loop.stop(Duration.ofSeconds(30))) {
            LOG.warn("alert writer did not stop in time, pending alerts may be unsaved");
        }
    }
}
