package dev.beesting.agent.detect;

import dev.beesting.agent.sys.Errno;
import dev.beesting.agent.sys.Libc;
import dev.beesting.agent.sys.NativeCalls;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A detector running one BPF tier ({@code lsm}, {@code fentry}, {@code kprobe} or {@code syscall}) of the embedded
 * object {@code bpf/beesting.bpf.o}: only that tier's program is loaded and attached.
 */
public final class BpfDetector implements Detector {
    private static final Logger log = LoggerFactory.getLogger(BpfDetector.class);
    private static final String OBJECT_RESOURCE = "/bpf/beesting.bpf.o";
    private static final Map<Tier, String> PROGRAMS = new EnumMap<>(Map.of(
            Tier.LSM, "beesting_lsm",
            Tier.FENTRY, "beesting_fentry",
            Tier.KPROBE, "beesting_kprobe",
            Tier.SYSCALL, "beesting_syscall"));
    private static final int POLL_MILLIS = 100;
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
    // Owns the object bytes and the upcall stub: both must outlive the libbpf object and ring buffer.
    private final Arena arena = Arena.ofShared();
    private final Map<Long, Key> armedKeys = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(1);
    private final Object learnLock = new Object();
    private MemorySegment object = MemorySegment.NULL;
    private MemorySegment link = MemorySegment.NULL;
    private MemorySegment ringBuffer = MemorySegment.NULL;
    private MemorySegment tokens;
    private MemorySegment settings;
    private MemorySegment learn;
    private MemorySegment stats;
    private volatile Consumer<AccessEvent> sink;
    private volatile boolean running;
    private Thread poller;
    private long reportedDrops;

    /** A file's identity as the hook computed it. */
    private record Key(int dev, long ino) {
        MemorySegment toSegment(Arena arena) {
            MemorySegment key = arena.allocate(BpfLayouts.KEY);
            BpfLayouts.KEY_DEV.set(key, dev);
            BpfLayouts.KEY_INO.set(key, ino);
            return key;
        }
    }

    private BpfDetector(Tier tier, RateLimit rateLimit) {
        this.tier = tier;
        this.rateLimit = rateLimit;
    }

    /**
     * Loads and attaches the program of {@code tier}; on failure everything opened so far is closed again.
     *
     * @throws BpfException with the kernel's errno when the tier cannot run here
     */
    public static BpfDetector load(Tier tier, RateLimit rateLimit) throws IOException {
        if (!PROGRAMS.containsKey(tier)) {
            throw new IllegalArgumentException(tier.id() + " is not a BPF tier");
        }
        BpfDetector detector = new BpfDetector(tier, rateLimit);
        try {
            detector.open();
            return detector;
        } catch (IOException | RuntimeException | Error e) {
            detector.close();
            throw e;
        }
    }

    private void open() throws IOException {
        byte[] bytes = readObject();
        MemorySegment buffer = arena.allocate(bytes.length, 8);
        MemorySegment.copy(bytes, 0, buffer, ValueLayout.JAVA_BYTE, 0, bytes.length);
        object = Libbpf.openMem(buffer);
        for (var program : PROGRAMS.entrySet()) {
            Libbpf.setAutoload(Libbpf.findProgram(object, program.getValue()), program.getKey() == tier);
        }
        Libbpf.load(object);
        link = Libbpf.attach(Libbpf.findProgram(object, PROGRAMS.get(tier)));
        tokens = Libbpf.findMap(object, "tokens");
        settings = Libbpf.findMap(object, "settings");
        learn = Libbpf.findMap(object, "learn");
        stats = Libbpf.findMap(object, "stats");
        writeSettings(false);
        MemorySegment upcall = NativeCalls.LINKER.upcallStub(ON_SAMPLE.bindTo(this), Libbpf.SAMPLE_FN, arena);
        ringBuffer = Libbpf.ringBufferNew(Libbpf.mapFd(Libbpf.findMap(object, "events")), upcall);
        log.info("bpf detector attached tier={} program={}", tier.id(), PROGRAMS.get(tier));
    }

    private static byte[] readObject() throws IOException {
        try (InputStream in = BpfDetector.class.getResourceAsStream(OBJECT_RESOURCE)) {
            if (in == null) {
                throw new IOException(
                        "BPF object " + OBJECT_RESOURCE + " is missing from the agent (build it with clang)");
            }
            return in.readAllBytes();
        }
    }

    @Override
    public Tier tier() {
        return tier;
    }

    @Override
    public long arm(Path file, AccessAction action) throws IOException {
        Key key = learnKey(file);
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

    /** Opens the file once from this thread and returns the (dev, ino) the hook computed for that open. */
    private Key learnKey(Path file) throws IOException {
        synchronized (learnLock) {
            try (Arena call = Arena.ofConfined()) {
                MemorySegment tid = call.allocate(ValueLayout.JAVA_INT);
                MemorySegment learned = call.allocate(BpfLayouts.LEARNED);
                writeSettings(true);
                try {
                    for (int attempt = 0; attempt < 3; attempt++) {
                        int before = Libc.gettid();
                        tid.set(ValueLayout.JAVA_INT, 0, before);
                        learned.fill((byte) 0);
                        Libbpf.update(learn, tid, learned, Libbpf.BPF_ANY);
                        Libc.close(Libc.open(file.toString(), Libc.O_RDONLY | Libc.O_CLOEXEC | Libc.O_NONBLOCK));
                        boolean found = Libbpf.lookup(learn, tid, learned);
                        Libbpf.delete(learn, tid);
                        // a virtual thread may have moved to another carrier between the calls: learn again
                        if (found && before == Libc.gettid() && (int) BpfLayouts.LEARNED_HITS.get(learned) > 0) {
                            return new Key((int) BpfLayouts.LEARNED_DEV.get(learned), (long)
                                    BpfLayouts.LEARNED_INO.get(learned));
                        }
                    }
                } finally {
                    writeSettings(false);
                }
            }
            throw new IOException("the " + tier.id() + " hook did not see the agent's own open of " + file);
        }
    }

    private void writeSettings(boolean learning) throws BpfException {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment zero = call.allocate(ValueLayout.JAVA_INT);
            MemorySegment value = call.allocate(BpfLayouts.SETTINGS);
            BpfLayouts.SETTINGS_WINDOW.set(value, rateLimit.window().toNanos());
            BpfLayouts.SETTINGS_BURST.set(value, (long) rateLimit.burst());
            BpfLayouts.SETTINGS_LEARNING.set(value, learning ? 1L : 0L);
            Libbpf.update(settings, zero, value, Libbpf.BPF_ANY);
        }
    }

    @Override
    public void disarm(long tokenId) {
        Key key = armedKeys.remove(tokenId);
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
        Key key = armedKeys.get(tokenId);
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
        // a platform thread: libbpf runs the upcall on the thread that polls, inside a native frame
        poller = Thread.ofPlatform().daemon().name("beesting-bpf-" + tier.id()).start(this::pollLoop);
    }

    private void pollLoop() {
        long lastStatsCheck = System.nanoTime();
        while (running) {
            int rc = Libbpf.poll(ringBuffer, POLL_MILLIS);
            if (rc < 0 && rc != -4) {
                log.error("ring buffer poll failed tier={} error={}", tier.id(), Errno.name(rc));
                return;
            }
            if (System.nanoTime() - lastStatsCheck > 1_000_000_000L) {
                lastStatsCheck = System.nanoTime();
                reportDrops();
            }
        }
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
            int tgid = (int) BpfLayouts.EVENT_TGID.get(record);
            AccessEvent event = new AccessEvent(
                    (long) BpfLayouts.EVENT_TOKEN_ID.get(record),
                    Instant.now(),
                    (int) BpfLayouts.EVENT_PID.get(record),
                    tgid,
                    (int) BpfLayouts.EVENT_UID.get(record),
                    (int) BpfLayouts.EVENT_GID.get(record),
                    comm(record),
                    Tier.values()[(int) BpfLayouts.EVENT_TIER.get(record)],
                    (int) BpfLayouts.EVENT_VERDICT.get(record) != 0,
                    (long) BpfLayouts.EVENT_COUNT.get(record),
                    process(record, tgid));
            sink.accept(event);
        } catch (Throwable t) {
            log.error("dropping ring buffer record tier={}", tier.id(), t);
        }
        return 0;
    }

    /**
     * The hook's argv copy is taken at the open itself, so it wins unless /proc shows a longer version of it (the
     * copy stops at 256 bytes); /proc's exe wins when the opener still lives, because it has mount prefixes.
     */
    private static ProcessInfo process(MemorySegment record, int tgid) {
        byte[] exe =
                record.asSlice(BpfLayouts.EVENT_EXE_OFFSET, BpfLayouts.EXE_LEN).toArray(ValueLayout.JAVA_BYTE);
        byte[] args = record.asSlice(BpfLayouts.EVENT_ARGS_OFFSET, BpfLayouts.ARGS_LEN)
                .toArray(ValueLayout.JAVA_BYTE);
        String kernelExe = KernelProcess.exe(exe, (int) BpfLayouts.EVENT_EXE_LEN.get(record));
        String kernelCmdline = KernelProcess.cmdline(args, (int) BpfLayouts.EVENT_ARGS_LEN.get(record));
        ProcessInfo proc = ProcessInfo.of(tgid);
        String cmdline =
                kernelCmdline.isEmpty() || proc.cmdline().startsWith(kernelCmdline) ? proc.cmdline() : kernelCmdline;
        return new ProcessInfo(
                proc.exe().isEmpty() ? kernelExe : proc.exe(), cmdline.isEmpty() ? kernelCmdline : cmdline);
    }

    private static String comm(MemorySegment record) {
        byte[] raw = record.asSlice(BpfLayouts.EVENT_COMM_OFFSET, BpfLayouts.COMM_LEN)
                .toArray(ValueLayout.JAVA_BYTE);
        int len = 0;
        while (len < raw.length && raw[len] != 0) {
            len++;
        }
        return new String(raw, 0, len, StandardCharsets.UTF_8);
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
        if (ringBuffer.address() != 0) {
            Libbpf.freeRingBuffer(ringBuffer);
            ringBuffer = MemorySegment.NULL;
        }
        if (link.address() != 0) {
            Libbpf.destroyLink(link);
            link = MemorySegment.NULL;
            log.info("bpf detector detached tier={}", tier.id());
        }
        if (object.address() != 0) {
            Libbpf.close(object);
            object = MemorySegment.NULL;
        }
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }
}
