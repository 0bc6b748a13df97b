package dev.beesting.agent.detect;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what /proc tells about an opener off the detector's reader thread, within a deadline per event. Reading
 * {@code /proc/<pid>/cmdline} takes the opener's mmap_lock and faults in its argv pages: an opener touching a stalled
 * FUSE or NFS mount makes that read wait for as long as the mount does. So the reader only hands events over here and
 * goes on draining the kernel; /proc is read on a small pool of threads, and each event is finished on one finisher thread as soon as its read is done or its
 * deadline passed, whichever comes first, with whatever the read got by then. Events of one token are finished in the
 * order they arrived; a hung read delays the later events of its own token by at most the deadline, never those of
 * another token.
 */
final class Enricher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Enricher.class);
    /** Normally /proc answers in microseconds; this bounds an opener whose memory hangs (a permission event's
     * opener waits this long at most for its answer). */
    static final Duration BUDGET = Duration.ofMillis(500);
    /** Reads under way at once: each one that hangs holds a thread until its mount answers. */
    static final int MAX_READS = 16;

    private static final long LATE_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** The work of one event. */
    interface Task {
        /** Reads /proc into the task; may block for long and is never interrupted. Must not throw. */
        void read();

        /**
         * Completes the event from what {@link #read} stored so far: called exactly once per task, on the finisher
         * thread, never concurrently with another finish. Must not throw.
         *
         * @param complete whether the read ended before the deadline
         */
        void finish(boolean complete);
    }

    private final String name;
    private final long budgetNanos;
    private final Semaphore reads;
    /**
     * Platform threads, not virtual ones: a read hung in the kernel pins its carrier, and the JDK does not compensate
     * for a /proc read, so on a 1-CPU node one hung read stopped every other (seen in a 1-vCPU qemu guest). The
     * semaphore bounds how many run at once; idle threads end after 30 s.
     */
    private final ExecutorService readers;

    private final ExecutorService finisher;
    private final Map<Long, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();
    private final AtomicLong late = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    // finisher thread only
    private long lastLateLog;

    /**
     * @param budget how long after its arrival an event is finished at the latest
     * @param maxReads reads that may be under way at once; a read that hangs holds its slot until it ends, and with
     *     every slot held new events are finished at once without reading /proc
     */
    Enricher(String name, Duration budget, int maxReads) {
        this.name = name;
        this.budgetNanos = budget.toNanos();
        this.reads = new Semaphore(maxReads);
        this.readers = Executors.newCachedThreadPool(Thread.ofPlatform()
                .daemon()
                .name("beesting-proc-" + name + "-", 0)
                .factory());
        this.finisher = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().daemon().name("beesting-finish-" + name).factory());
    }

    /** Hands over one event of {@code tokenId}; never blocks. */
    void submit(long tokenId, Task task) {
        CompletableFuture<Boolean> read = new CompletableFuture<>();
        if (reads.tryAcquire()) {
            try {
                readers.execute(() -> {
                    try {
                        task.read();
                    } catch (RuntimeException e) {
                        log.warn("reading the opener failed detector={}", name, e);
                    } finally {
                        reads.release();
                        read.complete(true);
                    }
                });
            } catch (RuntimeException e) { // shut down
                reads.release();
                read.complete(false);
            }
        } else {
            skipped.incrementAndGet();
            read.complete(false);
        }
        CompletableFuture<Boolean> inTime = read.completeOnTimeout(false, budgetNanos, TimeUnit.NANOSECONDS);
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletableFuture<Void> previous = tails.put(tokenId, done);
        CompletableFuture<Void> before = previous == null ? CompletableFuture.completedFuture(null) : previous;
        // the later of: this event's read (or deadline), the previous event of the same token
        before.thenCombine(inTime, (ignored, complete) -> complete)
                .thenAcceptAsync(
                        complete -> {
                            try {
                                if (!complete) {
                                    late.incrementAndGet();
                                }
                                task.finish(complete);
                            } catch (RuntimeException e) {
                                log.error("finishing an event failed detector={}", name, e);
                            } finally {
                                tails.remove(tokenId, done);
                                done.complete(null);
                            }
                        },
                        finisher)
                .exceptionally(e -> {
                    // only when the finisher is shut down: still release the token's later events
                    tails.remove(tokenId, done);
                    done.complete(null);
                    return null;
                });
    }

    /** Logs the first late event and then at most one line per interval: a flood of them must not flood the log. */
    private void noteLate() {
        long total = late.incrementAndGet();
        long now = System.nanoTime();
        long last = lastLateLog;
        if (total == 1 || now - last > LATE_LOG_INTERVAL_NANOS) {
            lastLateLog = now;
            log.warn(
                    "opener not read from /proc in time, reported with what the kernel gave detector={} late={}"
                            + " skipped={}",
                    name,
                    total,
                    skipped.get());
        }
    }

    /** Events finished without a complete read: the read hung past the deadline or no read slot was free. */
    long late() {
        return late.get();
    }

    /** Events finished without even trying to read, because every read slot was held by a hung read. */
    long skipped() {
        return skipped.get();
    }

    /** Whether the finisher still takes work. */
    boolean alive() {
        return !finisher.isShutdown();
    }

    /**
     * Finishes every event handed over (each by its deadline at the latest), then stops; reads still hung in the
     * kernel are left to end on their own.
     */
    @Override
    public void close() {
        CompletableFuture.allOf(tails.values().toArray(CompletableFuture[]::new))
                .completeOnTimeout(null, budgetNanos + TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS)
                .join();
        finisher.shutdown();
        try {
            finisher.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        readers.shutdownNow();
    }
}
