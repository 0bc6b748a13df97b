package dev.beesting.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs each alert as a JSON object to a configured URL; the caller renders its alert into that object. {@link #offer}
 * only enqueues into a bounded queue (full: the alert is dropped and counted); one virtual thread renders and sends,
 * retrying failures with exponential backoff, so a slow or dead receiver never holds up detection or an answer. The URL often carries a secret (a
 * token in its path or query), so it is only ever logged as scheme, host and port; it must be https unless plain
 * http is allowed explicitly; each attempt, response body included, is bounded by the timeout.
 */
public final class WebhookSender<T> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /**
     * Where and how to send.
     *
     * @param url receiver
     * @param headers extra request headers (for example an Authorization token)
     * @param queueCapacity alerts waiting to be sent; beyond it new alerts are dropped
     * @param attempts tries per alert before it is dropped
     * @param backoffMin delay after the first failure, doubled on each further one
     * @param backoffMax longest delay between tries
     * @param timeout per attempt, from connecting to the end of the response body
     * @param allowHttp whether a plain http URL is accepted (otherwise only https)
     * @param format the body's shape, for the caller's rendering
     */
    public record Settings(
            URI url,
            Map<String, String> headers,
            int queueCapacity,
            int attempts,
            Duration backoffMin,
            Duration backoffMax,
            Duration timeout,
            boolean allowHttp,
            WebhookFormat format) {
        /** Longest wait a receiver's {@code Retry-After} may ask for; a longer one is cut to this. */
        public static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);

        public Settings {
            headers = headers == null ? Map.of() : Map.copyOf(headers);
            headers.forEach(WebhookHeaders::check);
            format = format == null ? WebhookFormat.BEESTING : format;
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
                throw new IllegalArgumentException("the webhook must use https"
                        + (scheme.equals("http") ? " (plain http only with --webhook-allow-http)" : "") + ", got "
                        + redacted(url));
            }
            if (url.getHost() == null) {
                throw new IllegalArgumentException("the webhook URL has no host: " + redacted(url));
            }
        }

        public static Settings defaults(URI url, boolean allowHttp) {
            return new Settings(
                    url,
                    Map.of(),
                    1000,
                    6,
                    Duration.ofMillis(500),
                    Duration.ofSeconds(30),
                    Duration.ofSeconds(5),
                    allowHttp,
                    WebhookFormat.BEESTING);
        }

        public Settings withFormat(WebhookFormat value) {
            return new Settings(
                    url, headers, queueCapacity, attempts, backoffMin, backoffMax, timeout, allowHttp, value);
        }

        public Settings withHeaders(Map<String, String> value) {
            return new Settings(
                    url, value, queueCapacity, attempts, backoffMin, backoffMax, timeout, allowHttp, format);
        }
    }

    /** The URL as logs may show it: scheme, host and port only (path, query and user info may carry secrets). */
    public static String redacted(URI url) {
        String scheme = url.getScheme() == null ? "?" : url.getScheme();
        String host = url.getHost() == null ? "?" : url.getHost();
        return scheme + "://" + host + (url.getPort() >= 0 ? ":" + url.getPort() : "") + "/…";
    }

    private final Settings settings;
    private final String where;
    private final HttpClient http;
    private final Function<? super T, ?> body;
    private final Function<? super T, String> path;
    private final BlockingQueue<T> queue;
    private final Counts counts = new Counts();
    private final Thread worker;
    private volatile boolean running = true;

    /**
     * Starts the sender.
     *
     * @param body an alert's JSON body (maps, lists, strings, numbers), rendered on the sender's thread
     * @param path the token path a log line names when an alert is given up
     */
    public WebhookSender(Settings settings, Function<? super T, ?> body, Function<? super T, String> path) {
        this.settings = settings;
        this.body = body;
        this.path = path;
        this.where = redacted(settings.url());
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.worker = Thread.ofVirtual().name("webhook").start(this::run);
    }

    /** Queues an alert; returns at once, never throws. */
    public void offer(T alert) {
        if (!queue.offer(alert)) {
            long total = counts.dropped.incrementAndGet();
            if (Long.bitCount(total) == 1) {
                LOG.warn("webhook queue full, alerts dropped url={} dropped={}", where, total);
            }
        }
    }

    /** What became of the alerts offered so far, read live. */
    public WebhookCounters counters() {
        return counts;
    }

    private static final class Counts implements WebhookCounters {
        private final AtomicLong sent = new AtomicLong();
        private final AtomicLong dropped = new AtomicLong();
        private final AtomicLong failed = new AtomicLong();

        @Override
        public long sent() {
            return sent.get();
        }

        @Override
        public long dropped() {
            return dropped.get();
        }

        @Override
        public long failed() {
            return failed.get();
        }
    }

    private void run() {
        while (running || !queue.isEmpty()) {
            T alert;
            try {
                alert = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (alert != null) {
                try {
                    deliver(alert);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private void deliver(T alert) throws InterruptedException {
        HttpRequest request;
        try {
            request = request(alert);
        } catch (RuntimeException e) {
            // a fault of the caller's rendering: this alert is lost, the sender goes on with the next
            LOG.error("webhook cannot render an alert url={} error={}", where, e.toString(), e);
            counts.failed.incrementAndGet();
            return;
        }
        Duration backoff = settings.backoffMin();
        for (int attempt = 1; ; attempt++) {
            String problem;
            Optional<Duration> retryAfter = Optional.empty();
            try {
                HttpResponse<Void> response = send(request);
                int status = response.statusCode();
                if (status / 100 == 2) {
                    counts.sent.incrementAndGet();
                    return;
                }
                problem = "HTTP " + status;
                if (!retryable(status)) {
                    giveUp(alert, problem, attempt);
                    return;
                }
                retryAfter = response.headers().firstValue("Retry-After").flatMap(RetryAfter::parse);
            } catch (IOException | TimeoutException e) {
                problem = e.getClass().getSimpleName();
            }
            if (attempt >= settings.attempts() || !running) {
                giveUp(alert, problem, attempt);
                return;
            }
            // the receiver's own word wins (bounded); otherwise a jittered backoff, so that agents that failed
            // together do not all come back in the same instant
            Duration wait = retryAfter
                    .map(asked -> asked.compareTo(Settings.MAX_RETRY_AFTER) > 0 ? Settings.MAX_RETRY_AFTER : asked)
                    .orElse(jittered(backoff));
            LOG.debug("webhook attempt failed url={} attempt={} retryIn={} error={}", where, attempt, wait, problem);
            Thread.sleep(wait);
            backoff = backoff.multipliedBy(2).compareTo(settings.backoffMax()) > 0
                    ? settings.backoffMax()
                    : backoff.multipliedBy(2);
        }
    }

    /**
     * One attempt, bounded as a whole: the client's request timeout ends at the response headers, so a receiver that
     * drips or stalls its body would hold the sender forever without this bound.
     */
    private HttpResponse<Void> send(HttpRequest request) throws IOException, TimeoutException, InterruptedException {
        CompletableFuture<HttpResponse<Void>> response =
                http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        try {
            return response.get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io
                    ? io
                    : new IOException(e.getCause().getClass().getSimpleName());
        } finally {
            response.cancel(true);
        }
    }

    /** Half the backoff plus a random part of the other half. */
    static Duration jittered(Duration backoff) {
        long half = Math.max(1, backoff.toMillis() / 2);
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
    }

    private static boolean retryable(int status) {
        return status == 408 || status == 429 || status >= 500;
    }

    private void giveUp(T alert, String problem, int attempts) {
        counts.failed.incrementAndGet();
        LOG.error(
                "webhook gave up on an alert url={} path={} attempts={} error={}",
                where,
                path.apply(alert),
                attempts,
                problem);
    }

    private HttpRequest request(T alert) {
        String json;
        try {
            json = JSON.writeValueAsString(body.apply(alert));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("alert cannot be serialised", e);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(settings.url())
                .timeout(settings.timeout())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        settings.headers().forEach(request::header);
        return request.build();
    }

    /** Sends what is queued (without further retries once asked to stop), then stops. */
    @Override
    public void close() {
        running = false;
        try {
            if (!worker.join(settings.timeout().plusSeconds(5))) {
                worker.interrupt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.close();
    }
}
