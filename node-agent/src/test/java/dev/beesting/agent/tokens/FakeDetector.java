package dev.beesting.agent.tokens;

import dev.beesting.agent.detect.AccessAction;
import dev.beesting.agent.detect.AccessEvent;
import dev.beesting.agent.detect.Detector;
import dev.beesting.agent.detect.Tier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/** Records what is armed; for testing the token logic without a kernel. Detection itself is tested for real. */
public final class FakeDetector implements Detector {
    final Map<Long, Path> armed = new ConcurrentHashMap<>();
    final Map<Long, AccessAction> actions = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    volatile boolean failArm;
    /** Called with the token id and its file just before a token is disarmed. */
    volatile java.util.function.BiConsumer<Long, Path> onDisarm = (id, file) -> {};
    /** Called with a file just before it is armed; may block, the way a hung filesystem would. */
    volatile Consumer<Path> onArm = file -> {};

    @Override
    public Tier tier() {
        return Tier.FANOTIFY;
    }

    @Override
    public long arm(Path file, AccessAction action) throws IOException {
        if (failArm) {
            throw new IOException("detector refused");
        }
        onArm.accept(file);
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString());
        }
        long id = ids.incrementAndGet();
        armed.put(id, file);
        actions.put(id, action);
        return id;
    }

    @Override
    public void disarm(long tokenId) {
        Path file = armed.get(tokenId);
        if (file != null) {
            onDisarm.accept(tokenId, file);
        }
        armed.remove(tokenId);
    }

    @Override
    public void start(Consumer<AccessEvent> sink) {}

    @Override
    public boolean alive() {
        return true;
    }

    @Override
    public void close() {}
}
