package dev.beesting.agent.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.beesting.agent.alerts.Alert;
import dev.beesting.agent.alerts.AlertSink;
import dev.beesting.api.BuildInfo;
import dev.beesting.api.v1alpha1.Severity;
import dev.beesting.webhook.WebhookCounters;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's Prometheus metrics, served on {@code /metrics}: alerts by policy, severity and tier (as an alert
 * sink), armed tokens, NRI request latency and connection, the detector tier, the config generation applied, events
 * dropped, API write errors and webhook deliveries. Counters kept elsewhere (the pipeline's drops, the writers'
 * errors) are read when scraped instead of being pushed here.
 */
public final class AgentMetrics implements AlertSink {
    private static final Logger LOG = LoggerFactory.getLogger(AgentMetrics.class);

    // NRI's runtime side gives up after 2 s; the buckets resolve the sub-millisecond answers we aim for
    private static final double[] NRI_BUCKETS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 0.5, 2
    };

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter alerts;
    private final Gauge armedTokens;
    private final Histogram nriRequests;
    private final Map<String, LongSupplier> dropped = new ConcurrentHashMap<>();
    private final Map<String, LongSupplier> apiWriteErrors = new ConcurrentHashMap<>();
    private final Map<String, LongSupplier> alertsRefused = new ConcurrentHashMap<>();
    private final Map<String, LongSupplier> tokensSkipped = new ConcurrentHashMap<>();
    private final Info detector;
    private volatile BooleanSupplier nriConnected;
    private volatile WebhookCounters webhook;
    private volatile LongSupplier configGeneration;
    private volatile LongSupplier alertWritesThrottled;
    private volatile IntSupplier alertWritesWaiting;
    private HttpServer server;

    public AgentMetrics() {
        Info.builder()
                .name("beesting_build_info")
                .help("The running build: version and component.")
                .labelNames("version", "component")
                .register(registry)
                .addLabelValues(BuildInfo.version(), "agent");
        alerts = Counter.builder()
                .name("beesting_alerts_total")
                .help("Honeytoken accesses reported, by policy, severity and detector tier.")
                .labelNames("policy", "severity", "tier")
                .register(registry);
        armedTokens = Gauge.builder()
                .name("beesting_armed_tokens")
                .help("Token files currently armed on this node.")
                .register(registry);
        nriRequests = Histogram.builder()
                .name("beesting_nri_request_duration_seconds")
                .help("Time the agent took to answer an NRI request, by method.")
                .labelNames("method")
                .classicOnly()
                .classicUpperBounds(NRI_BUCKETS)
                .register(registry);
        CounterWithCallback.builder()
                .name("beesting_events_dropped_total")
                .help("Access events or alerts dropped because a bounded queue was full, by stage.")
                .labelNames("stage")
                .callback(callback -> dropped.forEach((stage, total) -> callback.call(total.getAsLong(), stage)))
                .register(registry);
        CounterWithCallback.builder()
                .name("beesting_api_write_errors_total")
                .help("Kubernetes API writes that failed, by writer.")
                .labelNames("writer")
                .callback(
                        callback -> apiWriteErrors.forEach((writer, total) -> callback.call(total.getAsLong(), writer)))
                .register(registry);
        CounterWithCallback.builder()
                .name("beesting_alerts_refused_total")
                .help("HoneytokenAlerts the agent could not write as usual, by reason: squatted (an object with another"
                        + " spec held the name; the alert went under another name), rejected (the API server refused it"
                        + " for good or it kept failing; dropped).")
                .labelNames("reason")
                .callback(
                        callback -> alertsRefused.forEach((reason, total) -> callback.call(total.getAsLong(), reason)))
                .register(registry);
        CounterWithCallback.builder()
                .name("beesting_tokens_skipped_total")
                .help("Tokens not planted on purpose, by reason: mounted (the container mounts that path, and a token"
                        + " must never replace or hide it). Once per container and path.")
                .labelNames("reason")
                .callback(
                        callback -> tokensSkipped.forEach((reason, total) -> callback.call(total.getAsLong(), reason)))
                .register(registry);
        CounterWithCallback.builder()
                .name("beesting_webhook_deliveries_total")
                .help("Alerts handed to the webhook, by result: sent, failed (given up after retries) or dropped"
                        + " (its queue was full).")
                .labelNames("result")
                .callback(callback -> {
                    WebhookCounters counters = webhook;
                    if (counters != null) {
                        counters.forEach((result, total) -> callback.call(total, result));
                    }
                })
                .register(registry);
        // absent until the agent knows (standalone has no NRI, the detector is armed after the start)
        GaugeWithCallback.builder()
                .name("beesting_nri_connected")
                .help("1 while the agent is registered with the container runtime's NRI, else 0.")
                .callback(callback -> {
                    BooleanSupplier connected = nriConnected;
                    if (connected != null) {
                        callback.call(connected.getAsBoolean() ? 1 : 0);
                    }
                })
                .register(registry);
        GaugeWithCallback.builder()
                .name("beesting_node_config_generation")
                .help("Generation of the node configuration the agent has fully applied (compare with the operator's"
                        + " beesting_operator_node_config_generation).")
                .callback(callback -> {
                    LongSupplier generation = configGeneration;
                    if (generation != null) {
                        callback.call(generation.getAsLong());
                    }
                })
                .register(registry);
        CounterWithCallback.builder()
                .name("beesting_alert_writes_throttled_total")
                .help("Alert deliveries that waited for the agent's client-side write limit (--alert-writes-per-second,"
                        + " --alert-write-burst), each counted once.")
                .callback(callback -> {
                    LongSupplier total = alertWritesThrottled;
                    if (total != null) {
                        callback.call(total.getAsLong());
                    }
                })
                .register(registry);
        GaugeWithCallback.builder()
                .name("beesting_alert_writes_waiting")
                .help("Alerts due to be written that the client-side write limit holds back now.")
                .callback(callback -> {
                    IntSupplier waiting = alertWritesWaiting;
                    if (waiting != null) {
                        callback.call(waiting.getAsInt());
                    }
                })
                .register(registry);
        detector = Info.builder()
                .name("beesting_detector_info")
                .help("The detector tier armed on this node (lsm, fentry, kprobe, fanotify or syscall).")
                .labelNames("tier")
                .register(registry);
    }

    /** The registry behind {@code /metrics}. */
    public PrometheusRegistry registry() {
        return registry;
    }

    /** Serves {@code /metrics} (and probes that always answer 200) on the address and port; returns the port. */
    public int serve(InetAddress address, int port) {
        return serve(address, port, Probes.NONE);
    }

    /**
     * Serves {@code /metrics}, {@code /readyz} and {@code /healthz} on the address and port (0 picks a free one);
     * returns the port.
     */
    public int serve(InetAddress address, int port, Probes probes) {
        try {
            server = HttpServer.create(new InetSocketAddress(address, port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "failed to serve metrics on " + address.getHostAddress() + ":" + port + ": " + e.getMessage(), e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        // the JVM's own metrics (memory, GC, threads, CPU) only where someone scrapes: they cost start time
        JvmMetrics.builder().register(registry);
        // the library's handler: content negotiation (OpenMetrics, protobuf, text), gzip, name[] filters
        server.createContext("/metrics", new MetricsHandler(registry));
        server.createContext("/readyz", exchange -> probe(exchange, probes.readiness()));
        server.createContext("/healthz", exchange -> probe(exchange, probes.liveness()));
        server.start();
        LOG.info(
                "metrics and probes served address={} port={}",
                address.getHostAddress(),
                server.getAddress().getPort());
        return server.getAddress().getPort();
    }

    private static void probe(HttpExchange exchange, List<Probes.Check> checks) throws IOException {
        List<String> failing = Probes.failing(checks);
        byte[] body = (failing.isEmpty() ? "ok\n" : "failing: " + String.join(", ", failing) + "\n")
                .getBytes(StandardCharsets.UTF_8);
        try (exchange) {
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(failing.isEmpty() ? 200 : 503, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void publish(Alert alert) {
        alerts.labelValues(alert.token().policy(), label(alert.token().severity()), alert.tier())
                .inc();
    }

    public void armedTokens(int count) {
        armedTokens.set(count);
    }

    /** The detector is armed with this tier: {@code beesting_detector_info{tier}} appears. */
    public void detectorArmed(String tier) {
        detector.setLabelValues(tier);
    }

    /** Exposes whether the agent is registered with NRI as {@code beesting_nri_connected}. */
    public void nriConnected(BooleanSupplier connected) {
        nriConnected = connected;
    }

    /** Exposes the node-config generation the agent has fully applied. */
    public void configGeneration(LongSupplier generation) {
        configGeneration = generation;
    }

    /** Exposes how often the alert writer waited for its write limit, and how many alerts wait for it now. */
    public void alertWriteLimit(LongSupplier throttled, IntSupplier waiting) {
        alertWritesWaiting = waiting;
        alertWritesThrottled = throttled;
    }

    /** Exposes the webhook's delivery counts kept by the webhook sink ({@code sent}, {@code failed}, {@code dropped}). */
    public void countWebhook(WebhookCounters counters) {
        webhook = counters;
    }

    /** For the NRI wiring: one answered request and how long it took. */
    public void nriRequest(String method, Duration latency) {
        nriRequests.labelValues(method).observe(latency.toNanos() / 1e9);
    }

    /** Exposes a drop counter kept elsewhere, for example the alert pipeline's ({@code stage="pipeline"}). */
    public void countDropped(String stage, LongSupplier total) {
        dropped.put(stage, total);
    }

    /** Exposes a writer's failed API calls, for example the alert writer's ({@code writer="alerts"}). */
    public void countApiWriteErrors(String writer, LongSupplier total) {
        apiWriteErrors.put(writer, total);
    }

    /** Exposes a count of alerts not written as usual, by reason ({@code squatted}, {@code rejected}). */
    public void countAlertsRefused(String reason, LongSupplier total) {
        alertsRefused.put(reason, total);
    }

    /** Exposes a count of tokens not planted on purpose, by reason ({@code mounted}). */
    public void countTokensSkipped(String reason, LongSupplier total) {
        tokensSkipped.put(reason, total);
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** The severity as the API spells it, the label value dashboards and alert rules match. */
    private static String label(Severity severity) {
        return severity == null ? "" : severity.name().toLowerCase(Locale.ROOT);
    }
}
