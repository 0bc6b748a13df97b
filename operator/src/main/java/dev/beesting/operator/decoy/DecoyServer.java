package dev.beesting.operator.decoy;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.beesting.api.decoy.DecoyCredential;
import dev.beesting.api.decoy.DecoyKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TLS endpoint that answers like a Kubernetes API server to whoever presents a decoy credential: discovery, then
 * 403 for everything else; 401 to everyone else. Each request is bounded (headers, body, a token bucket per source)
 * and answered with fixed bytes. It forwards nothing and holds no credential of the real cluster.
 */
public final class DecoyServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DecoyServer.class);
    private static final int MAX_USER_AGENT = 256;
    private static final int MAX_REQUEST_PATH = 512;

    private final HttpsServer server;
    private final ExecutorService executor;
    private final Settings settings;
    private final Supplier<List<DecoyKey>> keys;
    private final DecoyUses uses;
    private final DecoyMetrics metrics;
    private final SourceRateLimiter limiter;
    private final Clock clock;

    /**
     * Limits of one decoy.
     *
     * @param address where to listen
     * @param maxHeaderBytes sum of header names and values above which a request is refused (431)
     * @param maxBodyBytes declared body length above which a request is refused unread (413)
     * @param perSecond requests per second one source address may make, sustained
     * @param burst requests one source address may make at once
     * @param maxSources source addresses whose buckets are remembered
     * @param threads request threads
     */
    public record Settings(
            InetSocketAddress address,
            int maxHeaderBytes,
            int maxBodyBytes,
            double perSecond,
            int burst,
            int maxSources,
            int threads) {
        public static Settings defaults(InetSocketAddress address) {
            return new Settings(address, 16 * 1024, 4096, 5, 20, 10_000, 8);
        }
    }

    private DecoyServer(
            Settings settings,
            SSLContext tls,
            Supplier<List<DecoyKey>> keys,
            DecoyUses uses,
            DecoyMetrics metrics,
            Clock clock)
            throws IOException {
        this.settings = settings;
        this.keys = keys;
        this.uses = uses;
        this.metrics = metrics;
        this.clock = clock;
        this.limiter =
                new SourceRateLimiter(settings.perSecond(), settings.burst(), settings.maxSources(), System::nanoTime);
        this.server = HttpsServer.create(settings.address(), 128);
        this.server.setHttpsConfigurator(new HttpsConfigurator(tls));
        this.executor = Executors.newFixedThreadPool(
                settings.threads(),
                Thread.ofPlatform().name("decoy-", 0).daemon(true).factory());
        this.server.setExecutor(executor);
        this.server.createContext("/", this::handle);
    }

    /** Starts answering on the settings' address. */
    public static DecoyServer start(
            Settings settings,
            SSLContext tls,
            Supplier<List<DecoyKey>> keys,
            DecoyUses uses,
            DecoyMetrics metrics,
            Clock clock)
            throws IOException {
        DecoyServer decoy = new DecoyServer(settings, tls, keys, uses, metrics, clock);
        decoy.server.start();
        LOG.info("decoy API server listening address={}", decoy.address());
        return decoy;
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            InetAddress source = exchange.getRemoteAddress().getAddress();
            if (!limiter.tryAcquire(source)) {
                metrics.countRefused("rate_limit");
                exchange.getResponseHeaders().set("Retry-After", "1");
                respond(exchange, 429, DecoyResponses.TOO_MANY_REQUESTS, true);
                return;
            }
            Headers headers = exchange.getRequestHeaders();
            if (headerBytes(headers) > settings.maxHeaderBytes()) {
                metrics.countRefused("header_too_large");
                respond(exchange, 431, DecoyResponses.HEADERS_TOO_LARGE, true);
                return;
            }
            if (!bodyAllowed(exchange)) {
                metrics.countRefused("body_too_large");
                respond(exchange, 413, DecoyResponses.BODY_TOO_LARGE, true);
                return;
            }
            answer(exchange, source, headers);
        } catch (IOException e) {
            // a client that hangs up mid-answer is normal here
            LOG.debug("decoy request ended early error={}", e.getClass().getSimpleName());
        } catch (RuntimeException e) {
            // a fault of ours: logged with its cause; the server keeps answering other requests
            LOG.warn("decoy request failed error={}", e.toString(), e);
        }
    }

    private void answer(HttpExchange exchange, InetAddress source, Headers headers) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        path = path == null ? "/" : path;
        DecoyCredential.Result credential = credential(headers.getFirst("Authorization"));
        if (credential instanceof DecoyCredential.Valid valid) {
            metrics.countRequest("valid");
            String query = exchange.getRequestURI().getRawQuery();
            DecoyUses.Tally tally = uses.record(new DecoyUses.Use(
                    valid.origin(),
                    valid.keyId(),
                    source,
                    bounded(headers.getFirst("User-Agent"), MAX_USER_AGENT),
                    bounded(exchange.getRequestMethod(), 16),
                    bounded(query == null ? path : path + "?" + query, MAX_REQUEST_PATH),
                    clock.instant()));
            LOG.debug(
                    "decoy credential used namespace={} pod={} count={}",
                    valid.origin().namespace(),
                    valid.origin().pod(),
                    tally.count());
            if (path.equals("/version")) {
                respond(exchange, 200, DecoyResponses.VERSION, false);
            } else if (DecoyResponses.health(path)) {
                respond(exchange, 200, DecoyResponses.OK, false);
            } else {
                var discovery = DecoyResponses.discovery(path);
                if (discovery.isPresent() && exchange.getRequestMethod().equals("GET")) {
                    respond(exchange, 200, discovery.get(), false);
                } else {
                    respond(exchange, 403, DecoyResponses.FORBIDDEN, false);
                }
            }
            return;
        }
        metrics.countRequest(credential == null ? "anonymous" : "invalid");
        // what kube-apiserver shows anyone: its version and health; everything else wants credentials
        if (path.equals("/version") && credential == null) {
            respond(exchange, 200, DecoyResponses.VERSION, false);
        } else if (DecoyResponses.health(path) && credential == null) {
            respond(exchange, 200, DecoyResponses.OK, false);
        } else {
            respond(exchange, 401, DecoyResponses.UNAUTHORIZED, false);
        }
    }

    /** Null for a request without credentials, else what its bearer token is. */
    private DecoyCredential.Result credential(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return null;
        }
        if (authorization.length() < 7 || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return new DecoyCredential.Invalid(DecoyCredential.Reason.MALFORMED);
        }
        return DecoyCredential.decode(authorization.substring(7).strip(), keys.get());
    }

    private boolean bodyAllowed(HttpExchange exchange) throws IOException {
        Headers headers = exchange.getRequestHeaders();
        if (headers.containsKey("Transfer-Encoding")) {
            return false; // a length we cannot know before reading: not worth reading
        }
        String length = headers.getFirst("Content-Length");
        if (length == null) {
            return true;
        }
        long declared;
        try {
            declared = Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            return false;
        }
        if (declared > settings.maxBodyBytes()) {
            return false;
        }
        try (InputStream body = exchange.getRequestBody()) {
            body.readNBytes(settings.maxBodyBytes()); // read and dropped: nothing in a body changes the answer
        }
        return true;
    }

    private static long headerBytes(Headers headers) {
        long total = 0;
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            for (String value : header.getValue()) {
                total += header.getKey().length() + value.length() + 4;
            }
        }
        return total;
    }

    private static String bounded(String value, int max) {
        if (value == null) {
            return "";
        }
        return value.length() <= max ? value : value.substring(0, max);
    }

    private static void respond(HttpExchange exchange, int code, byte[] body, boolean close) throws IOException {
        Headers out = exchange.getResponseHeaders();
        out.set(
                "Content-Type",
                code == 200 && body == DecoyResponses.OK ? "text/plain; charset=utf-8" : "application/json");
        out.set("Cache-Control", "no-cache, private");
        if (close) {
            out.set("Connection", "close");
        }
        exchange.sendResponseHeaders(code, body.length);
        // closed here, not with the exchange: that flushes the answer before the server drains an unread body
        try (OutputStream response = exchange.getResponseBody()) {
            response.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
