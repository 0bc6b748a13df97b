package dev.beesting.agent.detect;

import dev.beesting.agent.model.Opener;
import dev.beesting.agent.sys.Libc;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code fanotify} tier: an inode mark with open-permission events per armed file. The opener waits until the
 * agent answers, so its identity is read from /proc while it still exists; the answer is always given, within a
 * bounded time, also when reading /proc fails. Opens past the rate limit are answered 10 ms late, so a
 * flood of one opener costs the agent little while every open is still counted.
 */
public final class FanotifyDetector implements Detector {
    private static final Logger log = LoggerFactory.getLogger(FanotifyDetector.class);
    private static final int POLL_MILLIS = 100;
    // normally microseconds; the bound matters when /proc/<pid>/cmdline waits on a stalled mm lock of the opener
    private static final long RESOLVE_BUDGET_MILLIS = 1000;
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

    /** What /proc told about the opener in time. */
    private record Resolved(ProcStatus status, ProcCommand command) {}

    /** An answer held back until {@code dueNanos}. */
    private record Held(int eventFd, boolean allow, long dueNanos) {}

    private final Fanotify group;
    private final RateLimiter limiter;
    private final Map<Long, Armed> byId = new ConcurrentHashMap<>();
    private final Map<FileKey, Armed> byKey = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(1);
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong emitted = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final ExecutorService resolvers = Executors.newVirtualThreadPerTaskExecutor();
    private final long ownPid = ProcessHandle.current().pid();
    // events seen before start(): openers must be answered at once, so they are kept here until a sink exists
    private final Deque<AccessEvent> early = new ArrayDeque<>();
    // touched by the reader thread only; due times grow, so the head is always the next one due
    private final Deque<Held> held = new ArrayDeque<>();
    private volatile Consumer<AccessEvent> sink;
    private volatile boolean running = true;
    private final Thread reader;

    private FanotifyDetector(Fanotify group, RateLimit limit) {
        this.group = group;
        this.limiter = new RateLimiter(limit);
        // answering must never wait for start(): an unanswered open blocks its process
        this.reader = Thread.ofPlatform().daemon().name("beesting-fanotify").start(this::readLoop);
    }

    /** Creates the fanotify group; fails with the errno when the kernel or the capabilities do not allow it. */
    public static FanotifyDetector open(RateLimit limit) throws IOException {
        return new FanotifyDetector(Fanotify.open(), limit);
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

    private void readLoop() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(BUFFER_SIZE, 8);
            while (running) {
                boolean ready = group.await(pollMillis());
                answerHeld(false);
                if (!ready) {
                    continue;
                }
                int length = group.read(buffer);
                int offset = 0;
                while (offset + Fanotify.METADATA_SIZE <= length) {
                    int eventLength = buffer.get(ValueLayout.JAVA_INT, offset + Fanotify.METADATA_EVENT_LEN);
                    handle(buffer.asSlice(offset, Fanotify.METADATA_SIZE));
                    offset += Math.max(eventLength, Fanotify.METADATA_SIZE);
                }
            }
        } catch (IOException | RuntimeException e) {
            log.error("fanotify reader stopped tier=fanotify", e);
        } finally {
            answerHeld(true);
        }
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
        AccessEvent event = null;
        try {
            Armed armed = isOwnThread(tid) ? null : byKey.get(keyOf(eventFd));
            if (armed != null) {
                long count = armed.count().incrementAndGet();
                hits.incrementAndGet();
                allow = armed.action() != AccessAction.BLOCK;
                // decide before touching /proc: in a flood an open must cost a counter bump, not a /proc walk.
                // fanotify reports the thread, so here the limit is per (token, thread) rather than per process.
                if (!limiter.allows(armed.id(), tid, System.nanoTime())) {
                    rateLimited.incrementAndGet();
                    hold = held.size() < TARPIT_MAX;
                    return;
                }
                Resolved resolved = resolve(tid);
                event = new AccessEvent(
                        armed.id(),
                        Instant.now(),
                        new Opener(
                                tid,
                                resolved.status().tgid(),
                                resolved.status().uid(),
                                resolved.status().gid(),
                                resolved.status().comm(),
                                resolved.command().exe(),
                                resolved.command().cmdline(),
                                resolved.command().exeChangedAt()),
                        Tier.FANOTIFY,
                        !allow,
                        count);
            }
        } catch (IOException | RuntimeException e) {
            log.error("handling fanotify event failed, allowing the open tid={}", tid, e);
        } finally {
            if (hold) {
                held.addLast(new Held(eventFd, allow, System.nanoTime() + TARPIT_NANOS));
            } else {
                answer(eventFd, allow);
            }
        }
        if (event != null) {
            deliverOrKeep(event);
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

    /** Reads the opener from /proc, giving up after a fixed budget so the open is always answered in time. */
    private Resolved resolve(int tid) {
        CompletableFuture<Resolved> future = CompletableFuture.supplyAsync(
                () -> {
                    ProcStatus status = ProcStatus.of(tid);
                    return new Resolved(status, ProcCommand.of(status.tgid() > 0 ? status.tgid() : tid));
                },
                resolvers);
        return future.completeOnTimeout(
                        new Resolved(ProcStatus.GONE, ProcCommand.UNKNOWN),
                        RESOLVE_BUDGET_MILLIS,
                        TimeUnit.MILLISECONDS)
                .join();
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
        for (Long id : byId.keySet()) {
            disarm(id);
        }
        resolvers.shutdownNow();
        group.close();
    }
}
