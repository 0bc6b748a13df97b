package dev.beesting.operator.policy;

import dev.beesting.api.v1alpha1.HoneytokenAlert;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * A policy's alerts as its status reports them: how many, and the one accessed last.
 *
 * @param count how many HoneytokenAlerts name the policy
 * @param latest the alert with the newest {@code status.lastSeen}; empty when none has one
 */
record AlertTally(long count, Optional<HoneytokenAlert> latest) {
    static final AlertTally NONE = new AlertTally(0, Optional.empty());

    static AlertTally of(Collection<HoneytokenAlert> alerts) {
        // each timestamp parsed once, not once per comparison
        Optional<HoneytokenAlert> latest = alerts.stream()
                .flatMap(a -> lastSeen(a).map(seen -> Map.entry(a, seen)).stream())
                .max(Map.Entry.comparingByValue())
                .map(Map.Entry::getKey);
        return new AlertTally(alerts.size(), latest);
    }

    /** An alert's lastSeen; empty when missing or not a timestamp (anyone with write access could put anything). */
    private static Optional<Instant> lastSeen(HoneytokenAlert alert) {
        if (alert.getStatus() == null || alert.getStatus().lastSeen == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(alert.getStatus().lastSeen));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
