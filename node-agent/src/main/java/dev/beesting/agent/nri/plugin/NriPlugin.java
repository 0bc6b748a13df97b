package dev.beesting.agent.nri.plugin;

import static dev.beesting.agent.retry.Backoff.min;

import dev.beesting.agent.nri.ttrpc.TtrpcStatusException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An NRI plugin that stays connected: registers with the runtime, serves it through an {@link NriHandler}, and
 * when the runtime goes away (restart, crash, protocol error) reconnects with exponential backoff, after which the
 * runtime synchronizes it again.
 */
public final class NriPlugin implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NriPlugin.class);

    private final NriPluginConfig config;
    private final NriHandler handler;
    private final NriStats stats = new NriStats();
    private final HandlerGuard guard;
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile NriSession session;
    private Thread loop;

    public NriPlugin(NriPluginConfig config, NriHandler handler) {
        this.config = config;
        this.handler = handler;
        this.guard = new HandlerGuard(config.handlerBudget(), stats);
    }

    /** Starts connecting in the background; returns at once. */
    public synchronized NriPlugin start() {
        if (loop == null) {
            loop = Thread.ofVirtual().name("nri-plugin").start(this::run);
        }
        return this;
    }

    /** Whether a registered connection to the runtime is up right now. */
    public boolean isConnected() {
        NriSession current = session;
        return current != null && !current.closed().isDone();
    }

    public NriStats stats() {
        return stats;
    }

    public NriPluginConfig config() {
        return config;
    }

    @Override
    public void close() {
        closing.countDown();
        NriSession current = session;
        if (current != null) {
            current.close();
        }
        Thread running;
        synchronized (this) {
            running = loop;
        }
        if (running != null) {
            try {
                running.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        Duration backoff = config.minBackoff();
        while (closing.getCount() > 0) {
            try (NriSession opened = NriSession.open(config, handler, guard, stats)) {
                session = opened;
                stats.registered();
                backoff = config.minBackoff();
                if (closing.getCount() == 0) {
                    return;
                }
                awaitEnd(opened);
                stats.disconnected();
                log.info("NRI connection closed socket={}", config.socket());
            } catch (IOException | TtrpcStatusException e) {
                log.warn(
                        "failed to register with NRI socket={} retryIn={} error=\"{}\"",
                        config.socket(),
                        backoff,
                        e.getMessage());
            } finally {
                session = null;
            }
            if (sleep(backoff)) {
                return;
            }
            backoff = min(backoff.multipliedBy(2), config.maxBackoff());
        }
    }

    private static void awaitEnd(NriSession opened) {
        try {
            opened.closed().join();
        } catch (CompletionException e) {
            // the cause was logged where the connection broke
        }
    }

    /** Waits {@code backoff} unless the plugin is closed first; true if closed. */
    private boolean sleep(Duration backoff) {
        try {
            return closing.await(backoff.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }
}
