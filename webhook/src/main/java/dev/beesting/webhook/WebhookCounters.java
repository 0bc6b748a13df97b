package dev.beesting.webhook;

import java.util.function.ObjLongConsumer;

/**
 * A webhook sender's delivery counts, as the agent's and the decoy's metrics expose them
 * ({@code beesting_webhook_deliveries_total}, labelled by result).
 */
public interface WebhookCounters {
    /** Alerts the receiver accepted. */
    long sent();

    /** Alerts dropped because the queue was full. */
    long dropped();

    /** Alerts given up after every attempt failed. */
    long failed();

    /** Each count with its result label: {@code sent}, {@code failed}, {@code dropped}. */
    default void forEach(ObjLongConsumer<String> result) {
        result.accept("sent", sent());
        result.accept("failed", failed());
        result.accept("dropped", dropped());
    }
}
