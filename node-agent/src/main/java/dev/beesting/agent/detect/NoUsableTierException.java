package dev.beesting.agent.detect;

import java.util.Map;
import java.util.stream.Collectors;

/** No detector tier could run here; the message lists each tier tried and why it was refused. */
public final class NoUsableTierException extends Exception {
    private final Map<Tier, String> refusals;

    NoUsableTierException(Map<Tier, String> refusals) {
        super("no usable detector tier: "
                + refusals.entrySet().stream()
                        .map(e -> e.getKey().id() + ": " + e.getValue())
                        .collect(Collectors.joining("; ")));
        this.refusals = Map.copyOf(refusals);
    }

    /** Every tier tried, with the reason it was refused. */
    public Map<Tier, String> refusals() {
        return refusals;
    }
}
