package dev.beesting.operator.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Liveness ({@code /healthz}), readiness ({@code /readyz}) and Prometheus metrics ({@code /metrics}) over HTTP. */
public final class OpsServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OpsServer.class);

    private final HttpServer server;

    public OpsServer(
            InetSocketAddress address, BooleanSupplier healthy, BooleanSupplier ready, PrometheusRegistry registry)
            throws IOException {
        server = HttpServer.create(address, 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/healthz", exchange -> probe(exchange, healthy));
        server.createContext("/readyz", exchange -> probe(exchange, ready));
        // the library's handler: content negotiation (OpenMetrics, protobuf, text), gzip, name[] filters
        server.createContext("/metrics", new MetricsHandler(registry));
        server.start();
        LOG.info("ops endpoints listening address={}", address());
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    private static void probe(HttpExchange exchange, BooleanSupplier check) throws IOException {
        boolean ok = check.getAsBoolean();
        respond(exchange, ok ? 200 : 503, "text/plain", (ok ? "ok\n" : "not ok\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void respond(HttpExchange exchange, int code, String type, byte[] body) throws IOException {
        try (exchange) {
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(code, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
