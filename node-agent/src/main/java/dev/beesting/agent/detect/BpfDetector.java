package dev.beesting.agent.detect;

import dev.beesting.agent.sys.Errno;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A detector running one BPF tier ({@code lsm}, {@code fentry}, {@code kprobe} or {@code syscall}) of the embedded
 * object {@code bpf/beesting.bpf.o} (see {@link BeestingSkeleton}): only that tier's program is loaded and attached.
 * It learns each token's key from the hook, polls the ring buffer and counts what the kernel dropped.
 */
public final class BpfDetector implements Detector {
    private static final Logger log = LoggerFactory.getLogger(BpfDetector.class);
    private static final Map<Tier, String> PROGRAMS = new EnumMap<>(Map.of(
            Tier.LSM, "beesting_lsm",
            Tier.FENTRY, "beesting_fentry",
            Tier.KPROBE, "beesting_kprobe",
            Tier.SYSCALL, "beesting_syscall"));
    private static final int POLL_MILLIS = 100;
    /** A poll returns at least every POLL_MILLIS; a reader silent for this long is stuck. */
    private static final long STUCK_NANOS = TimeUnit.SECONDS.toNanos(5);

    private static final MethodHandle ON_SAMPLE;

    static {
        try {
            ON_SAMPLE = MethodHandles.lookup()
                    .findVirtual(
                            BpfDetector.class,
                            "onSample",
                            MethodType.methodType(int.class, MemorySegment.class, MemorySegment.class, long.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Tier tier;
    private final RateLimit rateLimit;
    private final BeestingSkeleton skeleton;
    private final Map<Long, HookKeys.Key> armedKeys = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(1);
    private MemorySegment ringBuffer = MemorySegment.NULL;
    private MemorySegment tokens;
    private HookKeys keys;
    private MemorySegment stats;
    private volatile Consumer<AccessEvent> sink;
    private final Enricher enricher;
    private volatile boolean running;
    private volatile long heartbeat;
    private volatile Thread poller;
    private long reportedDrops;

    private BpfDetector(Tier tier, RateLimit rateLimit, BeestingSkeleton skeleton, Duration enrichmentBudget) {
        this.tier = tier;
        this.rateLimit = rateLimit;
        this.skeleton = skeleton;
        this.enricher = new Enricher(tier.id(), enrichmentBudget, Enricher.MAX_READS);
    }

    /**
     * Loads and attaches the program of {@code tier}; on failure everything opened so far is closed again.
     *
     * @throws BpfException with the kernel's errno when the tier cannot run here
     */
    public static BpfDetector load(Tier tier, RateLimit rateLimit) throws IOException {
        return load(tier, rateLimit, Enricher.BUDGET);
    }

    /** As {@link #load(Tier, RateLimit)}, with another deadline for reading an opener from /proc (tests). */
    static BpfDetector load(Tier tier, RateLimit rateLimit, Duration enrichmentBudget) throws IOException {
        if (!PROGRAMS.containsKey(tier)) {
            throw new IllegalArgumentException(tier.id() + " is not a BPF tier");
        }
        String program = PROGRAMS.get(tier);
        BeestingSkeleton skeleton = BeestingSkeleton.open();
        try {
            skeleton.autoloadOnly(program, PROGRAMS.values());
            skeleton.load();
            skeleton.attach(program);
            BpfDetector detector = new BpfDetector(tier, rateLimit, skeleton, enrichmentBudget);
            detector.connect();
            log.info("bpf detector attached tier={} program={}", tier.id(), program);
            return detector;
        } catch (IOException | RuntimeException | Error e) {
            skeleton.close();
            throw e;
        }
    }

    /** Finds the maps and opens the ring buffer; the skeleton is loaded and attached. */
    private void connect() throws BpfException {
        tokens = skeleton.map("tokens");
        stats = skeleton.map("stats");
        keys = new HookKeys(skeleton.map("learn"), skeleton.map("settings"), rateLimit, tier);
        keys.writeSettings(false);
        ringBuffer = skeleton.ringBuffer("events", ON_SAMPLE.bindTo(this));
    }

    @Override
    public Tier tier() {
        return tier;
    }

    @Override
    public long arm(Path file, AccessAction action) throws IOException {
        HookKeys.Key key = keys.learn(file);
        long id = nextId.getAndIncrement();
        try (Arena call = Arena.ofConfined()) {
            MemorySegment token = call.allocate(BpfLayouts.TOKEN);
            BpfLayouts.TOKEN_ID.set(token, id);
            BpfLayouts.TOKEN_ACTION.set(token, action == AccessAction.BLOCK ? 1 : 0);
            BpfLayouts.TOKEN_COUNT.set(token, 0L);
            try {
                Libbpf.update(tokens, key.toSegment(call), token, Libbpf.BPF_NOEXIST);
            } catch (BpfException e) {
                throw new IOException(
                        "cannot arm " + file + " (already armed under another path?): " + e.getMessage(), e);
            }
        }
        armedKeys.put(id, key);
        if (action == AccessAction.BLOCK && !tier.canBlock()) {
            log.warn("tier cannot block, token only alerts tier={} path={}", tier.id(), file);
        }
        log.info("armed token id={} path={} dev={} ino={} tier={}", id, file, key.dev(), key.ino(), tier.id());
        return id;
    }

    @Override
    public void disarm(long tokenId) {
        HookKeys.Key key = armedKeys.remove(tokenId);
        if (key == null) {
            return;
        }
        try (Arena call = Arena.ofConfined()) {
            Libbpf.delete(tokens, key.toSegment(call));
            log.info("disarmed token id={} tier={}", tokenId, tier.id());
        } catch (BpfException e) {
            throw new UncheckedIOException("cannot disarm token " + tokenId, e);
        }
    }

    @Override
    public long count(long tokenId) {
        HookKeys.Key key = armedKeys.get(tokenId);
        if (key == null) {
            throw new IllegalArgumentException("token " + tokenId + " is not armed");
        }
        try (Arena call = Arena.ofConfined()) {
            MemorySegment token = call.allocate(BpfLayouts.TOKEN);
            if (!Libbpf.lookup(tokens, key.toSegment(call), token)) {
                throw new IllegalArgumentException("token " + tokenId + " is not armed");
            }
            return (long) BpfLayouts.TOKEN_COUNT.get(token);
        } catch (BpfException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public DetectorStats stats() {
        return new DetectorStats(
                stat(BpfLayouts.STAT_HITS),
                stat(BpfLayouts.STAT_EMITTED),
                stat(BpfLayouts.STAT_RATE_LIMITED),
                stat(BpfLayouts.STAT_RINGBUF_FULL));
    }

    private long stat(int slot) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment key = call.allocate(ValueLayout.JAVA_INT);
            key.set(ValueLayout.JAVA_INT, 0, slot);
            MemorySegment value = call.allocate(ValueLayout.JAVA_LONG);
            Libbpf.lookup(stats, key, value);
            return value.get(ValueLayout.JAVA_LONG, 0);
        } catch (BpfException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void start(Consumer<AccessEvent> sink) {
        if (poller != null) {
            throw new IllegalStateException("already started");
        }
        this.sink = sink;
        running = true;
        heartbeat = System.nanoTime();
        // a platform thread: libbpf runs the upcall on the thread that polls, inside a native frame
        poller = Thread.ofPlatform().daemon().name("beesting-bpf-" + tier.id()).start(this::pollLoop);
    }

    private void pollLoop() {
        long lastStatsCheck = System.nanoTime();
        while (running) {
            heartbeat = System.nanoTime();
            int rc = Libbpf.poll(ringBuffer, POLL_MILLIS);
            if (rc < 0 && rc != -4) {
                // the ring buffer's epoll set is broken for good: end, and let alive() tell the liveness probe
                log.error(
                        "ring buffer poll failed, detector reader stopped tier={} error={}", tier.id(), Errno.name(rc));
                return;
            }
            if (System.nanoTime() - lastStatsCheck > 1_000_000_000L) {
                lastStatsCheck = System.nanoTime();
                try {
                    reportDrops();
                } catch (RuntimeException e) {
                    log.warn("reading the drop counter failed tier={}", tier.id(), e);
                }
            }
        }
    }

    /** Started, and the ring buffer reader runs and polls (it returns from a poll at least every 100 ms). */
    @Override
    public boolean alive() {
        Thread reader = poller;
        return running
                && reader != null
                && reader.isAlive()
                && System.nanoTime() - heartbeat < STUCK_NANOS
                && enricher.alive();
    }

    private void reportDrops() {
        long dropped = stat(BpfLayouts.STAT_RINGBUF_FULL);
        if (dropped > reportedDrops) {
            log.warn(
                    "events lost, ring buffer full tier={} lost={} total={}",
                    tier.id(),
                    dropped - reportedDrops,
                    dropped);
            reportedDrops = dropped;
        }
    }

    /** The ring buffer upcall; an exception escaping it would kill the JVM, so it catches everything. */
    @SuppressWarnings("unused")
    private int onSample(MemorySegment ctx, MemorySegment data, long size) {
        try {
            MemorySegment record = data.reinterpret(size);
            if (size < BpfLayouts.EVENT.byteSize()) {
                log.error("short ring buffer record size={} expected={}", size, BpfLayouts.EVENT.byteSize());
                return 0;
            }
            // only copy the record here: reading /proc can block for as long as the opener's memory does
            BpfEvents.Kernel kernel = BpfEvents.decode(record);
            enricher.submit(kernel.tokenId(), new BpfEnrichment(kernel, this::deliver));
        } catch (Throwable t) {
            log.error("dropping ring buffer record tier={}", tier.id(), t);
        }
        return 0;
    }

    private void deliver(AccessEvent event) {
        try {
            sink.accept(event);
        } catch (RuntimeException e) {
            log.error("event sink failed tier={}", tier.id(), e);
        }
    }

    @Override
    public synchronized void close() {
        running = false;
        if (poller != null) {
            try {
                poller.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            poller = null;
        }
        enricher.close();
        boolean attached = skeleton.attached();
        skeleton.close();
        ringBuffer = MemorySegment.NULL;
        if (attached) {
            log.info("bpf detector detached tier={}", tier.id());
        }
    }
}
