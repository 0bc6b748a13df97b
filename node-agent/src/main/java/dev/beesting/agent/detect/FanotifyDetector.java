package dev.beesting.agent.detect;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code fanotify} tier: an inode mark with open-permission events per armed file. The opener waits until the
 * agent answers, so its identity is read from /proc while it still exists; the answer is always given, within a
 * bounded time, also when reading /proc fails or hangs: the reader hands each event to an {@link Enricher} and goes on
 * reading, and the open is answered when /proc answered or the deadline passed. Opens past the rate limit (per token and
 * thread, and per token) are answered 10 ms late, so a flood costs the agent little while every open is still counted.
 * A reader that fails is restarted; one that keeps failing closes the group, which lets every pending open through.
 */
public final class FanotifyDetector implements Detector {
    private static final Logger log = LoggerFactory.getLogger(FanotifyDetector.class);
    private static final int POLL_MILLIS = 100;
    /** The reader returns from a wait at least every POLL_MILLIS; silent for this long it is stuck. */
    private static final long STUCK_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** Failures of the reader in a row (without a good read between) after which it gives up. */
    private static final int MAX_FAILURES = 5;

    private static final int BUFFER_SIZE = 64 * 1024;

    private final Fanotify group;
    private final RateLimiter limiter;
    private final RateLimiter tokenLimiter;
    private final Enricher enricher;
    private final FanotifyMarks marks;
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong restarts = new AtomicLong();
    private final long ownPid = ProcessHandle.current().pid();
    private final FanotifyAnswers answers;
    // events seen before start(): openers must be answered at once, so they are kept until a sink exists
    private final EventGate events = new EventGate("fanotify", dropped);
    private volatile boolean running = true;
    private volatile boolean gaveUp;
    private volatile long heartbeat = System.nanoTime();
    // reader thread only: reads since the last failure, so failures are counted in a row
    private int readsSinceFailure;
    /** A test's way to make the reader, or its handling of one event, fail as a real fault would; null in production. */
    private volatile Runnable readerFault;

    private volatile Runnable eventFault;

    private final Thread reader;

    private FanotifyDetector(Fanotify group, RateLimit limit, Duration enrichmentBudget) {
        this.group = group;
        this.answers = new FanotifyAnswers(group);
        this.marks = new FanotifyMarks(group);
        this.enricher = new Enricher("fanotify", enrichmentBudget, Enricher.MAX_READS);
        this.limiter = new RateLimiter(limit);
        this.tokenLimiter = new RateLimiter(limit.perToken());
        // answering must never wait for start(): an unanswered open blocks its process
        this.reader = Thread.ofPlatform().daemon().name("beesting-fanotify").start(this::readLoop);
    }

    /** Creates the fanotify group; fails with the errno when the kernel or the capabilities do not allow it. */
    public static FanotifyDetector open(RateLimit limit) throws IOException {
        return open(limit, Enricher.BUDGET);
    }

    /** As {@link #open(RateLimit)}, with another deadline for reading an opener from /proc (tests). */
    static FanotifyDetector open(RateLimit limit, Duration enrichmentBudget) throws IOException {
        return new FanotifyDetector(Fanotify.open(), limit, enrichmentBudget);
    }

    @Override
    public Tier tier() {
        return Tier.FANOTIFY;
    }

    @Override
    public long arm(Path file, AccessAction action) throws IOException {
        return marks.arm(file, action);
    }

    @Override
    public void disarm(long tokenId) {
        marks.disarm(tokenId);
    }

    @Override
    public long count(long tokenId) {
        return marks.count(tokenId);
    }

    @Override
    public DetectorStats stats() {
        return new DetectorStats(hits.get(), events.emitted(), rateLimited.get(), dropped.get());
    }

    @Override
    public void start(Consumer<AccessEvent> sink) {
        events.start(sink);
    }

    /**
     * Reads until closed. A failure (an IOException, any Error) must not leave the group and its marks behind with
     * nobody answering, or every later open of a token blocks: the loop restarts, and after {@link #MAX_FAILURES}
     * failures in a row it closes the group, which makes the kernel allow every pending and later open, and
     * {@link #alive()} turns false.
     */
    private void readLoop() {
        int failures = 0;
        while (running) {
            try {
                readEvents();
            } catch (Throwable t) {
                answers.answerHeld(true);
                failures = readsSinceFailure > 0 ? 1 : failures + 1;
                readsSinceFailure = 0;
                if (!running) {
                    break;
                }
                if (failures >= MAX_FAILURES) {
                    log.error(
                            "fanotify reader keeps failing, closing the group so no open waits for an answer"
                                    + " tier=fanotify failures={}",
                            failures,
                            t);
                    gaveUp = true;
                    group.close();
                    return;
                }
                restarts.incrementAndGet();
                log.error("fanotify reader failed, restarting tier=fanotify failures={}", failures, t);
                try {
                    Thread.sleep(10L << failures);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        answers.answerHeld(true);
    }

    private void readEvents() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(BUFFER_SIZE, 8);
            while (running) {
                heartbeat = System.nanoTime();
                Runnable fault = readerFault;
                if (fault != null) {
                    fault.run();
                }
                boolean ready = group.await(answers.pollMillis(POLL_MILLIS));
                answers.answerHeld(false);
                if (!ready) {
                    continue;
                }
                int length = group.read(buffer);
                readsSinceFailure++;
                // every event read must be answered, also after one of them failed: an open never answered waits
                // until the group closes, a restart does not reach it
                Throwable failure = null;
                int offset = 0;
                while (offset + Fanotify.METADATA_SIZE <= length) {
                    int eventLength = buffer.get(ValueLayout.JAVA_INT, offset + Fanotify.METADATA_EVENT_LEN);
                    try {
                        handle(buffer.asSlice(offset, Fanotify.METADATA_SIZE));
                    } catch (Throwable t) {
                        if (failure == null) {
                            failure = t;
                        } else {
                            failure.addSuppressed(t);
                        }
                    }
                    offset += Math.max(eventLength, Fanotify.METADATA_SIZE);
                }
                if (failure instanceof Error error) {
                    throw error;
                }
                if (failure != null) {
                    throw new IllegalStateException("handling a fanotify event failed", failure);
                }
            }
        }
    }

    /** Lets a test fail the reader at the top of its loop, the way a real fault would. */
    void injectReaderFault(Runnable fault) {
        readerFault = fault;
    }

    /** Lets a test fail the handling of events, the way a real fault (an Error) would. */
    void injectEventFault(Runnable fault) {
        eventFault = fault;
    }

    /** Times the reader failed and started again. */
    long restarts() {
        return restarts.get();
    }

    /** The reader runs and waits for or reads events; false once it gave up (the group is closed then). */
    @Override
    public boolean alive() {
        return running
                && !gaveUp
                && reader.isAlive()
                && System.nanoTime() - heartbeat < STUCK_NANOS
                && enricher.alive();
    }

    private void handle(MemorySegment metadata) {
        long mask = metadata.get(ValueLayout.JAVA_LONG, Fanotify.METADATA_MASK);
        int eventFd = metadata.get(ValueLayout.JAVA_INT, Fanotify.METADATA_FD);
        int tid = metadata.get(ValueLayout.JAVA_INT, Fanotify.METADATA_PID);
        if ((mask & Fanotify.FAN_Q_OVERFLOW) != 0 || eventFd == Fanotify.FAN_NOFD) {
            dropped.incrementAndGet();
            log.warn("fanotify queue overflowed, events lost tier=fanotify");
            return;
        }
        boolean allow = true;
        boolean hold = false;
        boolean handedOver = false;
        try {
            Runnable fault = eventFault;
            if (fault != null) {
                fault.run();
            }
            FanotifyMarks.Armed armed = isOwnThread(tid) ? null : marks.byEventFd(eventFd);
            if (armed != null) {
                long count = armed.count().incrementAndGet();
                hits.incrementAndGet();
                allow = armed.action() != AccessAction.BLOCK;
                // decide before touching /proc: in a flood an open must cost a counter bump, not a /proc walk.
                // fanotify reports the thread, so here the limit is per (token, thread) rather than per process;
                // the per-token budget keeps many flooding threads of one token from crowding out the others.
                long now = System.nanoTime();
                if (!limiter.allows(armed.id(), tid, now) || !tokenLimiter.allows(armed.id(), 0, now)) {
                    rateLimited.incrementAndGet();
                    hold = true;
                    return;
                }
                // the opener waits for the answer, so /proc still shows it; the enricher answers once /proc told
                // who it is or the deadline passed, while this thread goes on reading
                // status never touches the opener's memory, so it is read here: comm, tgid and uids are always known
                enricher.submit(
                        armed.id(),
                        new FanotifyEnrichment(
                                answers, events, eventFd, allow, armed.id(), tid, count, ProcStatus.of(tid)));
                handedOver = true;
            }
        } catch (IOException | RuntimeException e) {
            log.error("handling fanotify event failed, allowing the open tid={}", tid, e);
        } finally {
            if (hold) {
                answers.answerLate(eventFd, allow);
            } else if (!handedOver) {
                answers.answer(eventFd, allow);
            }
        }
    }

    private boolean isOwnThread(int tid) {
        return tid == ownPid || Files.exists(Path.of("/proc/self/task", Integer.toString(tid)));
    }

    @Override
    public synchronized void close() {
        if (!running) {
            return;
        }
        running = false;
        try {
            reader.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // every open handed over is answered by its deadline at the latest
        enricher.close();
        marks.disarmAll();
        group.close();
    }
}
