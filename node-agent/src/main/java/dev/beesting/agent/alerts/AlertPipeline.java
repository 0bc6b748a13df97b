package dev.beesting.agent.alerts;

import dev.beesting.agent.detect.AccessEvent;
import dev.beesting.agent.model.Opener;
import dev.beesting.agent.model.TokenRef;
import dev.beesting.agent.sys.ProcFiles;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiPredicate;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the detector's access events into alerts and hands them to every sink. The detector's thread only
 * enqueues (never blocks: a full queue drops and counts); one virtual thread resolves tokens, skips ignored
 * processes and publishes, isolating sinks from each other's faults.
 */
public final class AlertPipeline implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlertPipeline.class);
    private static final AccessEvent POISON = new AccessEvent(-1, null, null, null, false, 0);

    private final LongFunction<Optional<TokenRef>> tokens;
    private final List<AlertSink> sinks;
    private final BlockingQueue<AccessEvent> queue;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong ignored = new AtomicLong();
    private final AtomicLong untrusted = new AtomicLong();
    private final BiPredicate<Opener, Instant> trusted;
    private final Thread worker;

    public AlertPipeline(LongFunction<Optional<TokenRef>> tokens, List<AlertSink> sinks, int capacity) {
        this(tokens, sinks, capacity, AlertPipeline::unchangedBefore);
    }

    /**
     * @param trusted whether the opener's executable is one {@code ignoreProcesses} may name: unchanged since before
     *     the given instant
     */
    AlertPipeline(
            LongFunction<Optional<TokenRef>> tokens,
            List<AlertSink> sinks,
            int capacity,
            BiPredicate<Opener, Instant> trusted) {
        this.trusted = trusted;
        this.tokens = tokens;
        this.sinks = List.copyOf(sinks);
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.worker = Thread.ofVirtual().name("alert-pipeline").start(this::run);
    }

    /** For the detector: enqueue an event without blocking. */
    public void accept(AccessEvent event) {
        if (!queue.offer(event)) {
            long total = dropped.incrementAndGet();
            if (Long.bitCount(total) == 1) {
                LOG.warn("alert queue full, events dropped dropped={}", total);
            }
        }
    }

    public long dropped() {
        return dropped.get();
    }

    public long published() {
        return published.get();
    }

    public long ignored() {
        return ignored.get();
    }

    /** Opens by a process {@code ignoreProcesses} names whose executable could not be trusted: alerts all the same. */
    public long untrusted() {
        return untrusted.get();
    }

    /**
     * The path is the container's to choose ({@code cp /bin/cat /usr/bin/backup-agent}); the inode's ctime is not:
     * only an executable that has not changed since the container started is what the image shipped.
     */
    static boolean unchangedBefore(Opener opener, Instant before) {
        if (before.equals(Instant.MAX)) {
            return true;
        }
        if (opener.exeChangedAt() != null) {
            return opener.exeChangedAt().isBefore(before); // read by the detector while the opener ran it
        }
        // the detector could not tell: look now, if the opener still runs that file
        return ProcFiles.executableChangedAt(opener.tgid(), opener.exe())
                .map(changed -> changed.isBefore(before))
                .orElse(false);
    }

    private void run() {
        while (true) {
            AccessEvent event;
            try {
                event = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (event == POISON) {
                return;
            }
            handle(event);
        }
    }

    private void handle(AccessEvent event) {
        Optional<TokenRef> token = tokens.apply(event.tokenId());
        if (token.isEmpty()) {
            // disarmed between the open and now: the container is gone
            LOG.debug(
                    "event for an unknown token tokenId={} pid={}",
                    event.tokenId(),
                    event.opener().tgid());
            return;
        }
        Alert alert = Alert.of(event, token.get(), Origins.decide(event.opener(), token.get()));
        if (!alert.opener().exe().isEmpty()
                && token.get().ignoreProcesses().contains(alert.opener().exe())) {
            if (trusted.test(alert.opener(), token.get().trustExecutablesBefore())) {
                ignored.incrementAndGet();
                return;
            }
            untrusted.incrementAndGet();
            LOG.warn(
                    "ignoreProcesses match not honoured: the executable changed after the container started, or could"
                            + " not be checked exe={} pid={} path={}",
                    alert.opener().exe(),
                    alert.opener().tgid(),
                    alert.token().path());
        }
        published.incrementAndGet();
        for (AlertSink sink : sinks) {
            try {
                sink.publish(alert);
            } catch (RuntimeException e) {
                LOG.error(
                        "alert sink failed sink={} path={} error={}",
                        sink.getClass().getSimpleName(),
                        alert.token().path(),
                        e.toString());
            }
        }
    }

    /** Publishes what is queued, then stops. */
    @Override
    public void close() {
        try {
            queue.put(POISON);
            if (!worker.join(java.time.Duration.ofSeconds(5))) {
                worker.interrupt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (AlertSink sink : sinks) {
            try {
                sink.close();
            } catch (RuntimeException e) {
                LOG.warn(
                        "alert sink did not close cleanly sink={} error={}",
                        sink.getClass().getSimpleName(),
                        e.toString());
            }
        }
    }
}
