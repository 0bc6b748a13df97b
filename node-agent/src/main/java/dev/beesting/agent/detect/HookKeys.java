package dev.beesting.agent.detect;

import dev.beesting.agent.sys.Libc;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/**
 * Learns a token's key, the (device, inode) pair the hook computes, by letting the kernel tell: with learning on, the
 * agent opens the file once and reads what the hook recorded for its thread (the device {@code stat()} reports can
 * differ, see DESIGN.md). Also writes the hook's settings, of which learning is one.
 */
final class HookKeys {
    private final MemorySegment learn;
    private final MemorySegment settings;
    private final RateLimit rateLimit;
    private final Tier tier;
    private final Object learnLock = new Object();

    /** A file's identity as the hook computed it. */
    record Key(int dev, long ino) {
        MemorySegment toSegment(Arena arena) {
            MemorySegment key = arena.allocate(BpfLayouts.KEY);
            BpfLayouts.KEY_DEV.set(key, dev);
            BpfLayouts.KEY_INO.set(key, ino);
            return key;
        }
    }

    HookKeys(MemorySegment learn, MemorySegment settings, RateLimit rateLimit, Tier tier) {
        this.learn = learn;
        this.settings = settings;
        this.rateLimit = rateLimit;
        this.tier = tier;
    }

    /** Opens the file once from this thread and returns the (dev, ino) the hook computed for that open. */
    Key learn(Path file) throws IOException {
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

    void writeSettings(boolean learning) throws BpfException {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment zero = call.allocate(ValueLayout.JAVA_INT);
            MemorySegment value = call.allocate(BpfLayouts.SETTINGS);
            BpfLayouts.SETTINGS_WINDOW.set(value, rateLimit.window().toNanos());
            BpfLayouts.SETTINGS_BURST.set(value, (long) rateLimit.burst());
            BpfLayouts.SETTINGS_LEARNING.set(value, learning ? 1L : 0L);
            BpfLayouts.SETTINGS_TOKEN_BURST.set(
                    value, (long) rateLimit.perToken().burst());
            Libbpf.update(settings, zero, value, Libbpf.BPF_ANY);
        }
    }
}
