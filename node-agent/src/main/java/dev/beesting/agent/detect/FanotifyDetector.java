package dev.beesting.agent.detect;

import dev.beesting.agent.model.Opener;
import dev.beesting.agent.sys.Libc;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
    /**
     * How long an open past the rate limit waits for its answer. Each permission event costs the agent a read, a
     * stat and an answer, and a flooding opener asks again the moment it is answered: answered at once, one process
     * opening a token in a loop held the agent at 79 % of a core (19,300 opens/s, hack/bench-detect.sh on the 2-core
     * build VM). Held back 10 ms, the same flood ran at 98 opens/s and cost 7.6 %. The count stays exact because
     * every open is still an event; only the flooding opener waits.
     */
    private static final long TARPIT_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** Answers held back at most; beyond it (many flooding threads) opens are answered at once again. */
    private static final int TARPIT_MAX = 256;

    private record Armed(long id, Path path, int fd, AccessAction action, AtomicLong count) {}

    private record FileKey(long dev, long ino) {}

    /** An answer held back until {@code dueNanos}. */
    private record Held(int eventFd, boolean allow, long dueNanos) {}

    private final Fanotify group;
    private final RateLimiter limiter;
    private final RateLimiter tokenLimiter;
    private final Enricher enricher;
    private final Map<Long, Armed> byId = new ConcurrentHashMap<>();
    private final Map<FileKey, Armed> byKey = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(1);
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong emitted = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong restarts = new AtomicLong();
    private final long ownPid = ProcessHandle.current().pid();
    // events seen before start(): openers must be answered at once, so they are kept here until a sink exists
    private final Deque<AccessEvent> early = new ArrayDeque<>();
    // touched by the reader thread only; due times grow, so the head is always the next one due
    private final Deque<Held> held = new ArrayDeque<>();
    private volatile Consumer<AccessEvent> sink;
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
        // the held descriptor names the inode for the mark and pins it; opened before the mark, so no event
        int fd = Libc.open(file.toString(), Libc.O_RDONLY | Libc.O_CLOEXEC | Libc.O_NONBLOCK);
        try {
            FileKey key = keyOf(fd);
            Armed armed = new Armed(nextId.getAndIncrement(), file, fd, action, new AtomicLong());
            if (byKey.putIfAbsent(key, armed) != null) {
                throw new IOException("cannot arm " + file + ": the same inode is already armed");
            }
            try {
                group.markInode(fd);
            } catch (IOException e) {
                byKey.remove(key);
                throw e;
            }
            byId.put(armed.id(), armed);
            log.info("armed token id={} path={} ino={} tier=fanotify", armed.id(), file, key.ino());
            return armed.id();
        } catch (IOException | RuntimeException e) {
            Libc.close(fd);
            throw e;
        }
    }

    private static FileKey keyOf(int fd) throws IOException {
        // stat through the magic link reaches the open file itself, whatever its path is now
        Path link = Path.of("/proc/self/fd", Integer.toString(fd));
        return new FileKey(
                ((Number) Files.getAttribute(link, "unix:dev")).longValue(),
                ((Number) Files.getAttribute(link, "unix:ino")).longValue());
    }

    @Override
    public void disarm(long tokenId) {
        Armed armed = byId.remove(tokenId);
        if (armed == null) {
            return;
        }
        byKey.values().remove(armed);
        try {
            group.unmarkInode(armed.fd());
        } catch (IOException e) {
            log.warn("removing fanotify mark failed id={} path={} error={}", tokenId, armed.path(), e.getMessage());
        }
        Libc.close(armed.fd());
        log.info("disarmed token id={} tier=fanotify", tokenId);
    }

    @Override
    public long count(long tokenId) {
        Armed armed = byId.get(tokenId);
        if (armed == null) {
            throw new IllegalArgumentException("token " + tokenId + " is not armed");
        }
        return armed.count().get();
    }

    @Override
    public DetectorStats stats() {
        return new DetectorStats(hits.get(), emitted.get(), rateLimited.get(), dropped.get());
    }

    @Override
    public void start(Consumer<AccessEvent> sink) {
        synchronized (early) {
            if (this.sink != null) {
                throw new IllegalStateException("already started");
            }
            this.sink = sink;
            early.forEach(event -> deliver(event, sink));
            early.clear();
        }
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
                answerHeld(true);
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
        answerHeld(true);
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
                boolean ready = group.await(pollMillis());
                answerHeld(false);
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

    /** Until the next held answer is due (at least 1 ms: poll's unit), or the usual poll interval. */
    private int pollMillis() {
        Held next = held.peekFirst();
        if (next == null) {
            return POLL_MILLIS;
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(next.dueNanos() - System.nanoTime());
        return (int) Math.clamp(millis, 1, POLL_MILLIS);
    }

    /** Answers the held opens that are due, or all of them. */
    private void answerHeld(boolean all) {
        long now = System.nanoTime();
        for (Held next; (next = held.peekFirst()) != null && (all || next.dueNanos() - now <= 0); ) {
            held.removeFirst();
            answer(next.eventFd(), next.allow());
        }
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
            Armed armed = isOwnThread(tid) ? null : byKey.get(keyOf(eventFd));
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
                    hold = held.size() < TARPIT_MAX;
                    return;
                }
                // the opener waits for the answer, so /proc still shows it; the enricher answers once /proc told
                // who it is or the deadline passed, while this thread goes on reading
                // status never touches the opener's memory, so it is read here: comm, tgid and uids are always known
                enricher.submit(armed.id(), new Enrichment(eventFd, allow, armed, tid, count, ProcStatus.of(tid)));
                handedOver = true;
            }
        } catch (IOException | RuntimeException e) {
            log.error("handling fanotify event failed, allowing the open tid={}", tid, e);
        } finally {
            if (hold) {
                held.addLast(new Held(eventFd, allow, System.nanoTime() + TARPIT_NANOS));
            } else if (!handedOver) {
                answer(eventFd, allow);
            }
        }
    }

    /** One open waiting for its answer while /proc is read. */
    private final class Enrichment implements Enricher.Task {
        private final int eventFd;
        private final boolean allow;
        private final Armed armed;
        private final int tid;
        private final long count;
        private final ProcStatus status;
        private volatile String exe = "";
        private volatile String cmdline = "";
        private volatile Instant exeChangedAt;

        Enrichment(int eventFd, boolean allow, Armed armed, int tid, long count, ProcStatus status) {
            this.eventFd = eventFd;
            this.allow = allow;
            this.armed = armed;
            this.tid = tid;
            this.count = count;
            this.status = status;
        }

        @Override
        public void read() {
            int pid = status.tgid() > 0 ? status.tgid() : tid;
            exe = ProcCommand.readExe(pid);
            exeChangedAt = exe.isEmpty() ? null : ProcCommand.readExeChangedAt(pid);
            cmdline = ProcCommand.readCmdline(pid);
        }

        @Override
        public void finish(boolean complete) {
            answer(eventFd, allow);
            deliverOrKeep(new AccessEvent(
                    armed.id(),
                    Instant.now(),
                    new Opener(
                            tid, status.tgid(), status.uid(), status.gid(), status.comm(), exe, cmdline, exeChangedAt),
                    Tier.FANOTIFY,
                    !allow,
                    count));
        }
    }

    private void deliverOrKeep(AccessEvent event) {
        Consumer<AccessEvent> current = sink;
        if (current == null) {
            synchronized (early) {
                if (sink == null) {
                    if (early.size() < 1024) {
                        early.add(event);
                    } else {
                        dropped.incrementAndGet();
                    }
                    return;
                }
                current = sink;
            }
        }
        deliver(event, current);
    }

    private boolean isOwnThread(int tid) {
        return tid == ownPid || Files.exists(Path.of("/proc/self/task", Integer.toString(tid)));
    }

    private void answer(int eventFd, boolean allow) {
        try {
            group.respond(eventFd, allow);
        } catch (IOException e) {
            log.error("answering fanotify event failed fd={}", eventFd, e);
        } finally {
            Libc.close(eventFd);
        }
    }

    private void deliver(AccessEvent event, Consumer<AccessEvent> sink) {
        emitted.incrementAndGet();
        try {
            sink.accept(event);
        } catch (RuntimeException e) {
            log.error("event sink failed tier=fanotify", e);
        }
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
        for (Long id : byId.keySet()) {
            disarm(id);
        }
        group.close();
    }
}
