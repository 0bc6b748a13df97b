package dev.beesting.agent.kube;

/**
 * The agent's client-side limit on its API requests for alerts (HoneytokenAlert creates and status patches, Events,
 * the read of an alert that already existed): at most {@code perSecond} on average and {@code burst} at once, so an
 * alert storm across a fleet reaches the API server at no more than nodes × {@code perSecond}. Alerts over the limit
 * wait in the writer's store (and its file); none is dropped for it.
 *
 * @param perSecond average requests per second; 0 turns the limit off
 * @param burst requests at once after a quiet spell (at least 1)
 */
public record AlertWriteLimit(double perSecond, int burst) {
    public static final AlertWriteLimit DEFAULT = new AlertWriteLimit(5, 50);
    public static final AlertWriteLimit OFF = new AlertWriteLimit(0, 1);

    public AlertWriteLimit {
        if (!(perSecond >= 0) || burst < 1) {
            throw new IllegalArgumentException("the alert write limit needs a rate of at least 0 and a burst of at"
                    + " least 1, got " + perSecond + "/s and " + burst);
        }
    }
}
