package dev.beesting.agent.kube;

import dev.beesting.api.v1alpha1.HoneytokenAlert;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one alert's changes to the API server: creates or adopts its HoneytokenAlert, patches its status, then
 * records or updates the Event on the Pod. State changes happen under the store's monitor; API calls outside it.
 */
final class AlertDelivery {
    private static final Logger LOG = LoggerFactory.getLogger(AlertDelivery.class);

    private final AlertApi api;
    private final AlertStore store;
    private final Duration minWriteInterval;
    private final Runnable again;
    private final AlertNames names;
    private final AtomicLong squatted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();

    /**
     * @param names the other names of squatted alerts
     * @param again asks for another round soon (an object someone deleted is created again)
     */
    AlertDelivery(AlertApi api, AlertStore store, AlertNames names, Duration minWriteInterval, Runnable again) {
        this.api = api;
        this.names = names;
        this.store = store;
        this.minWriteInterval = minWriteInterval;
        this.again = again;
    }

    /** API requests made. */
    long requests() {
        return api.requests();
    }

    /** Writes what changed in one alert; throws what the API server answered. */
    void write(AlertState state, Instant now) {
        AlertRecord record;
        long version;
        boolean alertPending;
        boolean alertExists;
        synchronized (store) {
            record = state.snapshot();
            version = state.version();
            alertPending = state.alertPending();
            alertExists = state.alertExists();
        }
        if (alertPending) {
            if (!alertExists) {
                Optional<HoneytokenAlert> existing = api.createAlert(record);
                if (existing.isPresent() && !AlertResources.sameSpec(existing.get(), record)) {
                    record = aliasSquatted(state, record);
                    existing = api.createAlert(record);
                    if (existing.isPresent() && !AlertResources.sameSpec(existing.get(), record)) {
                        throw new IllegalStateException(
                                "the alert's other name is squatted too: " + record.objectName());
                    }
                }
                synchronized (store) {
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
                synchronized (store) {
                    state.alertExists(false); // deleted by someone: create it again next round
                    state.nextWriteAt(now);
                }
                again.run();
                return;
            }
            synchronized (store) {
                state.alertWritten(version);
            }
        }
        boolean eventPending;
        boolean eventExists;
        synchronized (store) {
            eventPending = state.eventPending();
            eventExists = state.eventExists();
        }
        if (eventPending) {
            boolean written = eventExists ? api.patchEvent(record) : api.createOrPatchEvent(record);
            synchronized (store) {
                state.eventExists(written);
                if (written) {
                    state.eventWritten(version);
                } else {
                    state.nextWriteAt(now); // deleted (Events expire): create it again next round
                }
            }
            if (!written) {
                again.run();
                return;
            }
        }
        synchronized (store) {
            state.nextWriteAt(now.plus(minWriteInterval));
            state.succeeded();
        }
        store.changed();
    }

    /**
     * The usual name holds an object this agent would not write (forged or squatted): never adopt it, move the alert
     * to its other name instead.
     */
    private AlertRecord aliasSquatted(AlertState state, AlertRecord record) {
        if (record.alias() != null) {
            throw new IllegalStateException("the alert's other name is squatted too: " + record.objectName());
        }
        String alias = names.alternate(record.key().objectName());
        AlertRecord moved;
        synchronized (store) {
            state.alias(alias);
            moved = state.snapshot();
        }
        long total = squatted.incrementAndGet();
        LOG.warn(
                "an alert with another spec holds this alert's name, writing it under another name"
                        + " namespace={} squatted={} alias={} squattedTotal={}",
                record.key().namespace(),
                record.key().objectName(),
                alias,
                total);
        store.changed();
        return moved;
    }

    /** Alerts whose usual name held an object with another spec. */
    long squatted() {
        return squatted.get();
    }

    /**
     * The API refuses this object for good (forbidden, invalid, namespace gone), or what it answered cannot be used:
     * retrying cannot help.
     */
    void giveUp(AlertState state, RuntimeException e) {
        LOG.error(
                "alert update failed for good, giving up on this update alert={} namespace={} code={} error={}",
                state.objectName(),
                state.key().namespace(),
                e instanceof KubernetesClientException k ? k.getCode() : 0,
                e.toString());
        rejected.incrementAndGet();
        synchronized (store) {
            state.alertWritten(state.version());
            state.eventWritten(state.version());
            state.succeeded();
        }
        store.changed();
    }

    /**
     * The API server answered a retryable failure for this alert: it is tried again alone after its own backoff, and
     * dropped (counted) once it failed {@code maxAttempts} times in a row.
     *
     * @return when it is tried again; null when it was dropped
     */
    Instant retryLater(AlertState state, Instant now, KubernetesClientException e, AlertWriter.Settings settings) {
        int failures;
        synchronized (store) {
            failures = state.failed();
        }
        if (failures >= settings.maxAttempts()) {
            giveUp(state, e);
            return null;
        }
        Duration wait = settings.retryMin().multipliedBy(1L << Math.min(failures - 1, 20));
        if (wait.compareTo(settings.retryMax()) > 0) {
            wait = settings.retryMax();
        }
        LOG.warn(
                "alert update failed, retrying it alone alert={} namespace={} attempt={} retryIn={} code={} error={}",
                state.objectName(),
                state.key().namespace(),
                failures,
                wait,
                e.getCode(),
                e.getMessage());
        synchronized (store) {
            state.nextWriteAt(now.plus(wait));
        }
        return now.plus(wait);
    }

    /** Alert updates dropped because the API refused them for good or kept failing them. */
    long rejected() {
        return rejected.get();
    }

    /** No answer, or the API server says it is busy: every alert waits, none is to blame. */
    static boolean outage(KubernetesClientException e) {
        int code = e.getCode();
        // code 0 or below: no HTTP answer at all (connection refused, timeout)
        return code <= 0 || code == 429 || code == 503 || code == 504;
    }

    static boolean retryable(KubernetesClientException e) {
        int code = e.getCode();
        return outage(e) || code == 408 || code == 409 || code >= 500;
    }
}
