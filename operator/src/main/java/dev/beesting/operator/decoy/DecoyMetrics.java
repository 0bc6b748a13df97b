package dev.beesting.operator.decoy;

import dev.beesting.webhook.WebhookCounters;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** The decoy's counters; invalid and anonymous requests never name a pod, only a result. */
public final class DecoyMetrics {
    private final Counter requests;
    private final Counter refused;
    private final Counter alerts;
    private volatile WebhookCounters webhook;

    public DecoyMetrics(PrometheusRegistry registry) {
        requests = Counter.builder()
                .name("beesting_decoy_requests_total")
                .help("Requests that reached the decoy, by what their credential was: valid (a Beesting token,"
                        + " an alert), invalid (tampered, foreign or malformed) or anonymous (none)")
                .labelNames("result")
                .register(registry);
        refused = Counter.builder()
                .name("beesting_decoy_refused_total")
                .help("Requests the decoy refused unread: rate_limit, header_too_large, body_too_large")
                .labelNames("reason")
                .register(registry);
        alerts = Counter.builder()
                .name("beesting_decoy_alert_writes_total")
                .help(
                        "HoneytokenAlert writes of the decoy: written, failed (retried), dropped (queue full), event_failed")
                .labelNames("result")
                .register(registry);
        // the agent's metric of the same name: one alert rule and dashboard panel cover both senders
        CounterWithCallback.builder()
                .name("beesting_webhook_deliveries_total")
                .help("Uses handed to the webhook, by result: sent, failed (given up after retries) or dropped"
                        + " (its queue was full).")
                .labelNames("result")
                .callback(callback -> {
                    WebhookCounters counters = webhook;
                    if (counters != null) {
                        counters.forEach((result, total) -> callback.call(total, result));
                    }
                })
                .register(registry);
        for (String result : new String[] {"valid", "invalid", "anonymous"}) {
            requests.labelValues(result);
        }
    }

    /** Exposes the webhook's delivery counts kept by its sender ({@code sent}, {@code failed}, {@code dropped}). */
    public void countWebhook(WebhookCounters counters) {
        webhook = counters;
    }

    void countRequest(String result) {
        requests.labelValues(result).inc();
    }

    void countRefused(String reason) {
        refused.labelValues(reason).inc();
    }

    void countAlert(String result) {
        alerts.labelValues(result).inc();
    }

    /** Alert writes counted with {@code result}. */
    public long alerts(String result) {
        return (long) alerts.labelValues(result).get();
    }

    /** Requests counted with {@code result}, for tests and the benchmark. */
    public long requests(String result) {
        return (long) requests.labelValues(result).get();
    }

    /** Requests refused for {@code reason}. */
    public long refused(String reason) {
        return (long) refused.labelValues(reason).get();
    }
}
