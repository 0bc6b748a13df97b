package dev.beesting.agent.alerts;

import dev.beesting.webhook.WebhookCounters;
import dev.beesting.webhook.WebhookSender;

/**
 * The webhook as an alert sink: each alert rendered in the configured format ({@link WebhookBodies}) and handed to the
 * shared sender, which queues, retries and never blocks detection.
 */
public final class WebhookSink implements AlertSink {
    private final WebhookSender<Alert> sender;

    /** For alerts of a node, which name their node themselves. */
    public WebhookSink(WebhookSender.Settings settings) {
        this(settings, "");
    }

    /** @param hostname the host name a body names when the alert has no node (standalone) */
    public WebhookSink(WebhookSender.Settings settings, String hostname) {
        String host = hostname == null ? "" : hostname;
        this.sender = new WebhookSender<>(
                settings,
                alert -> WebhookBodies.payload(settings.format(), alert, host),
                alert -> alert.token().path());
    }

    @Override
    public void publish(Alert alert) {
        sender.offer(alert);
    }

    /** What became of the alerts published so far, for the metrics. */
    public WebhookCounters counters() {
        return sender.counters();
    }

    /** Sends what is queued (without further retries once asked to stop), then stops. */
    @Override
    public void close() {
        sender.close();
    }
}
