package dev.beesting.agent.detect;

import dev.beesting.agent.sys.NativeCalls;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Collection;

/**
 * The embedded BPF object {@code bpf/beesting.bpf.o} in the shape of a libbpf skeleton: {@link #open()}, configure
 * ({@link #autoloadOnly}), {@link #load()}, {@link #attach}, then {@link #close()} destroys in reverse (ring buffer,
 * link, object, memory). Not thread-safe: its owner orders the calls.
 */
final class BeestingSkeleton implements AutoCloseable {
    private static final String OBJECT_RESOURCE = "/bpf/beesting.bpf.o";

    // owns the object bytes and the upcall stub: both must outlive the libbpf object and ring buffer
    private final Arena arena = Arena.ofShared();
    private MemorySegment object = MemorySegment.NULL;
    private MemorySegment link = MemorySegment.NULL;
    private MemorySegment ringBuffer = MemorySegment.NULL;

    private BeestingSkeleton() {}

    /**
     * Opens the object (nothing in the kernel yet); closes what it made when that fails.
     *
     * @throws IOException also when libbpf itself is missing or unusable, saying so in one sentence
     */
    static BeestingSkeleton open() throws IOException {
        Libbpf.require();
        BeestingSkeleton skeleton = new BeestingSkeleton();
        try {
            byte[] bytes = readObject();
            MemorySegment buffer = skeleton.arena.allocate(bytes.length, 8);
            MemorySegment.copy(bytes, 0, buffer, ValueLayout.JAVA_BYTE, 0, bytes.length);
            skeleton.object = Libbpf.openMem(buffer);
            return skeleton;
        } catch (IOException | RuntimeException | Error e) {
            skeleton.close();
            throw e;
        }
    }

    private static byte[] readObject() throws IOException {
        try (InputStream in = BeestingSkeleton.class.getResourceAsStream(OBJECT_RESOURCE)) {
            if (in == null) {
                throw new IOException(
                        "BPF object " + OBJECT_RESOURCE + " is missing from the agent (build it with clang)");
            }
            return in.readAllBytes();
        }
    }

    /** Configures which programs the kernel gets: {@code program} only, of all {@code programs}. */
    void autoloadOnly(String program, Collection<String> programs) throws BpfException {
        for (String name : programs) {
            Libbpf.setAutoload(Libbpf.findProgram(object, name), name.equals(program));
        }
    }

    /** Loads the object's maps and the programs left to autoload into the kernel (the verifier runs here). */
    void load() throws BpfException {
        Libbpf.load(object);
    }

    /** Attaches a loaded program at the hook its section names. */
    void attach(String program) throws BpfException {
        link = Libbpf.attach(Libbpf.findProgram(object, program));
    }

    /** A map of the loaded object, by name. */
    MemorySegment map(String name) throws BpfException {
        return Libbpf.findMap(object, name);
    }

    /**
     * A ring buffer on the map {@code name} that calls {@code onSample} (bound to the {@link Libbpf#SAMPLE_FN}
     * shape) for each record, on the thread that polls it; the upcall lives as long as the skeleton.
     */
    MemorySegment ringBuffer(String name, MethodHandle onSample) throws BpfException {
        MemorySegment upcall = NativeCalls.LINKER.upcallStub(onSample, Libbpf.SAMPLE_FN, arena);
        ringBuffer = Libbpf.ringBufferNew(Libbpf.mapFd(map(name)), upcall);
        return ringBuffer;
    }

    /** Whether a program is attached. */
    boolean attached() {
        return link.address() != 0;
    }

    /** Frees the ring buffer, detaches, closes the object and releases its memory; call once nobody polls. */
    @Override
    public void close() {
        if (ringBuffer.address() != 0) {
            Libbpf.freeRingBuffer(ringBuffer);
            ringBuffer = MemorySegment.NULL;
        }
        if (link.address() != 0) {
            Libbpf.destroyLink(link);
            link = MemorySegment.NULL;
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
