package dev.beesting.operator.alert;

import dev.beesting.api.v1alpha1.HoneytokenAlert;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes HoneytokenAlerts last seen longer ago than the retention, periodically, on the leader only. Off unless
 * configured: alerts are evidence.
 */
public final class AlertRetention implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlertRetention.class);

    private final KubernetesClient client;
    private final Duration retention;
    private final Clock clock;
    private final IntConsumer deleted;
    private ScheduledExecutorService timer;

    public AlertRetention(KubernetesClient client, Duration retention, Clock clock, IntConsumer deleted) {
        this.client = client;
        this.retention = retention;
        this.clock = clock;
        this.deleted = deleted;
    }

    /** Sweeps now and then every tenth of the retention, at least every minute and at most every hour. */
    public synchronized void start() {
        if (timer != null) {
            return;
        }
        long period = Math.clamp(retention.toSeconds() / 10, 60, 3600);
        timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofVirtual().name("alert-retention").factory());
        timer.scheduleWithFixedDelay(this::sweepLogged, 0, period, TimeUnit.SECONDS);
        LOG.info("alert retention on retention={} periodSeconds={}", retention, period);
    }

    /** Deletes the expired alerts; returns how many. */
    public int sweep() {
        Instant cutoff = clock.instant().minus(retention);
        List<HoneytokenAlert> expired =
                client.resources(HoneytokenAlert.class).inAnyNamespace().list().getItems().stream()
                        .filter(alert -> lastSeen(alert).isBefore(cutoff))
                        .toList();
        for (HoneytokenAlert alert : expired) {
            client.resource(alert).delete();
            LOG.info(
                    "alert expired and deleted alert={}/{} lastSeen={}",
                    alert.getMetadata().getNamespace(),
                    alert.getMetadata().getName(),
                    lastSeen(alert));
        }
        deleted.accept(expired.size());
        return expired.size();
    }

    private void sweepLogged() {
        try {
            sweep();
        } catch (RuntimeException e) {
            // the next sweep retries; an exception escaping would cancel the schedule
            LOG.warn("alert retention sweep failed error={}", e.toString());
        }
    }

    /** When the alert last fired; its creation time if the agent has not reported a lastSeen. */
    static Instant lastSeen(HoneytokenAlert alert) {
        String text = alert.getStatus() != null && alert.getStatus().lastSeen != null
                ? alert.getStatus().lastSeen
                : alert.getMetadata().getCreationTimestamp();
        try {
            return text == null ? Instant.MAX : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return Instant.MAX; // unreadable: keep it rather than delete evidence
        }
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }
}
