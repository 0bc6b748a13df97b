package dev.beesting.agent.kube;

import dev.beesting.agent.alerts.Alert;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alerts this node knows, one per API object, the least recently seen forgotten first when full (never one with
 * undelivered changes while another can go). Its monitor guards every {@link AlertState} it holds: whoever changes
 * a state does it in {@code synchronized (store)}.
 */
final class AlertStore {
    private static final Logger LOG = LoggerFactory.getLogger(AlertStore.class);

    private final int maxAlerts;
    // access order: the head is the alert seen least recently, the first to forget when full
    private final LinkedHashMap<AlertKey, AlertState> states = new LinkedHashMap<>(64, 0.75f, true);
    private final AtomicLong dropped = new AtomicLong();
    private boolean changed;
    private boolean savedAny;

    AlertStore(int maxAlerts) {
        this.maxAlerts = maxAlerts;
    }

    /** The alerts a previous run left undelivered. */
    synchronized void restore(List<AlertRecord> pending, Instant now) {
        for (AlertRecord record : pending) {
            states.put(record.key(), AlertState.restore(record, now));
        }
        savedAny = !pending.isEmpty();
    }

    /** Counts an access into its alert, making one when it is the first. */
    synchronized void record(Alert alert, Instant now) {
        AlertKey key = AlertKey.of(alert.token().workload(), alert.token().path());
        AlertState state = states.get(key);
        if (state == null) {
            makeRoom();
            states.put(key, AlertState.first(alert, now));
        } else {
            state.apply(alert);
        }
        changed = true;
    }

    private void makeRoom() {
        if (states.size() < maxAlerts) {
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
        LOG.warn("too many undelivered alerts, forgot the oldest alert={} dropped={}", victim.objectName(), total);
    }

    /**
     * The alerts with changes to write now ({@code all}: whatever their pacing), and when the next of the others is
     * due (null when none waits).
     */
    record Due(List<AlertState> now, Instant next) {}

    synchronized Due due(Instant now, boolean all) {
        List<AlertState> due = new ArrayList<>();
        Instant next = null;
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
        return new Due(due, next);
    }

    /** Alerts with changes not yet written to the API server. */
    synchronized int pending() {
        return (int) states.values().stream().filter(AlertState::pending).count();
    }

    /** Undelivered alerts forgotten to make room. */
    long dropped() {
        return dropped.get();
    }

    /** Something the saved file holds changed. */
    synchronized void changed() {
        changed = true;
    }

    synchronized boolean hasChanges() {
        return changed;
    }

    /**
     * The undelivered alerts to save, taking the changes; empty when there is nothing to write (no changes, or none
     * pending and none saved before).
     */
    synchronized Optional<List<AlertRecord>> takeChanges() {
        if (!changed) {
            return Optional.empty();
        }
        List<AlertRecord> pending = states.values().stream()
                .filter(AlertState::pending)
                .map(AlertState::snapshot)
                .toList();
        changed = false;
        if (pending.isEmpty() && !savedAny) {
            return Optional.empty();
        }
        savedAny = !pending.isEmpty();
        return Optional.of(pending);
    }
}
