package dev.beesting.agent.kube;

import dev.beesting.agent.alerts.Alert;
import dev.beesting.agent.model.Opener;
import dev.beesting.agent.model.Workload;
import dev.beesting.api.v1alpha1.HoneytokenAlertStatus;
import dev.beesting.api.v1alpha1.ProcessInfo;
import dev.beesting.api.v1alpha1.Severity;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The in-memory aggregate of one HoneytokenAlert: counts, processes and what has been written so far. Not
 * thread-safe; {@link AlertWriter} guards every instance with its lock.
 */
final class AlertState {
    static final int RECENT_PROCESSES = 10;

    private final AlertKey key;
    private final String node;
    private final String containerId;
    private final String image;
    private final String policy;
    private final Severity severity;
    private String detector;
    // total = base + kernel: the kernel's counter restarts when a token is armed again (agent restart), so
    // what was counted before lives in base and the kernel's exact running total is added on top
    private long base;
    private long kernel;
    private Instant firstSeen;
    private Instant lastSeen;
    private final List<SeenProcess> processes = new ArrayList<>();
    private boolean denied;
    private boolean adopted;
    private String alias;

    private long version;
    private long alertWritten;
    private long eventWritten;
    private boolean alertExists;
    private boolean eventExists;
    private Instant nextWriteAt;
    private int failures;

    private AlertState(
            AlertKey key,
            String node,
            String containerId,
            String image,
            String policy,
            Severity severity,
            String detector) {
        this.key = key;
        this.detector = detector;
        this.node = node;
        this.containerId = containerId;
        this.image = image;
        this.policy = policy;
        this.severity = severity;
    }

    static AlertState first(Alert alert, Instant now) {
        Workload workload = alert.token().workload();
        AlertState state = new AlertState(
                AlertKey.of(workload, alert.token().path()),
                workload.node(),
                workload.containerId(),
                workload.image(),
                alert.token().policy(),
                alert.token().severity(),
                alert.tier());
        state.firstSeen = alert.time();
        state.nextWriteAt = now;
        state.apply(alert);
        return state;
    }

    /** A pending alert loaded from disk: everything it counted becomes the base of this agent run. */
    static AlertState restore(AlertRecord record, Instant now) {
        AlertState state = new AlertState(
                record.key(),
                record.node(),
                record.containerId(),
                record.image(),
                record.policy(),
                record.severity(),
                record.detector());
        state.base = record.count();
        state.firstSeen = record.firstSeen();
        state.lastSeen = record.lastSeen();
        state.processes.addAll(record.processes());
        state.denied = record.denied();
        state.adopted = record.adopted();
        state.alias = record.alias();
        state.version = 1;
        state.nextWriteAt = now;
        return state;
    }

    AlertKey key() {
        return key;
    }

    /** Whether the HoneytokenAlert is known to exist in the cluster (created or adopted by this agent run). */
    boolean alertExists() {
        return alertExists;
    }

    void alertExists(boolean exists) {
        alertExists = exists;
    }

    /** Whether this alert's Event is known to exist, so it is patched instead of created. */
    boolean eventExists() {
        return eventExists;
    }

    void eventExists(boolean exists) {
        eventExists = exists;
    }

    /** When the writer may write this alert next (writes are paced per alert). */
    Instant nextWriteAt() {
        return nextWriteAt;
    }

    void nextWriteAt(Instant at) {
        nextWriteAt = at;
    }

    /** One more answered failure of this alert's update in a row; returns how many. */
    int failed() {
        return ++failures;
    }

    /** Its update was written (or dropped): failures start again from zero. */
    void succeeded() {
        failures = 0;
    }

    void apply(Alert alert) {
        if (alert.count() < kernel) {
            // the token was armed again and its counter restarted: keep what was counted so far
            base += kernel;
        }
        kernel = alert.count();
        detector = alert.tier();
        denied = alert.denied();
        if (lastSeen == null || !alert.time().isBefore(lastSeen)) {
            lastSeen = alert.time();
        }
        remember(SeenProcess.of(alert));
        version++;
    }

    private void remember(SeenProcess process) {
        processes.removeIf(process::sameProcess);
        processes.addFirst(process);
        while (processes.size() > RECENT_PROCESSES) {
            processes.removeLast();
        }
    }

    /**
     * Folds in what an existing object (written before this agent run) counted, once: its count is added, its
     * first sighting kept and its processes appended after ours. The object comes from the API server, where anyone
     * allowed to write alerts could have put anything: a value that does not parse or make sense is ignored.
     */
    void adopt(HoneytokenAlertStatus existing) {
        if (adopted) {
            return;
        }
        adopted = true;
        if (existing == null) {
            return;
        }
        if (existing.count != null && existing.count > 0) {
            base = saturatedAdd(base, existing.count);
        }
        Instant earlier = instantOrNull(existing.firstSeen);
        if (earlier != null && earlier.isBefore(firstSeen)) {
            firstSeen = earlier;
        }
        if (existing.recentProcesses != null) {
            for (ProcessInfo old : existing.recentProcesses) {
                int pid = old.pid == null ? 0 : old.pid;
                SeenProcess seen = new SeenProcess(
                        new Opener(
                                pid,
                                pid,
                                old.uid == null ? 0 : old.uid,
                                old.gid == null ? 0 : old.gid,
                                nonNull(old.comm),
                                nonNull(old.exe),
                                nonNull(old.cmdline)),
                        Objects.requireNonNullElse(instantOrNull(old.time), firstSeen));
                if (processes.size() < RECENT_PROCESSES && processes.stream().noneMatch(seen::sameProcess)) {
                    processes.addLast(seen);
                }
            }
        }
        version++;
    }

    /** The object's name in the cluster. */
    String objectName() {
        return alias != null ? alias : key.objectName();
    }

    /** Whether the usual name was found squatted and this alert lives under another name. */
    boolean aliased() {
        return alias != null;
    }

    /** From now on the object lives under {@code name}: the usual one holds an object with another spec. */
    void alias(String name) {
        alias = name;
        alertExists = false;
        eventExists = false;
    }

    /** Marks the object as created by this agent run, so nothing older can be folded in later. */
    void created() {
        adopted = true;
    }

    private static Instant instantOrNull(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    private static String nonNull(String value) {
        return value == null ? "" : value;
    }

    long total() {
        return base + kernel;
    }

    long version() {
        return version;
    }

    boolean alertPending() {
        return alertWritten < version;
    }

    boolean eventPending() {
        return eventWritten < version;
    }

    boolean pending() {
        return alertPending() || eventPending();
    }

    void alertWritten(long writtenVersion) {
        alertWritten = Math.max(alertWritten, writtenVersion);
    }

    void eventWritten(long writtenVersion) {
        eventWritten = Math.max(eventWritten, writtenVersion);
    }

    Instant lastSeen() {
        return lastSeen;
    }

    AlertRecord snapshot() {
        return new AlertRecord(
                key,
                node,
                containerId,
                image,
                policy,
                severity,
                detector,
                total(),
                firstSeen,
                lastSeen,
                processes,
                denied,
                adopted,
                alias);
    }
}
