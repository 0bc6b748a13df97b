package dev.beesting.agent.node;

import dev.beesting.api.nodeconfig.NodeConfig;
import dev.beesting.api.nodeconfig.NodeConfigCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The compiled node config from a local file (the operator's format, v1 or v2), reloaded when the file changes; a bad
 * new version is logged and the last good one kept. Used outside a cluster and in tests. Without an API server the
 * agent sees no namespace labels: a v2 policy's namespace selector is matched against the one label every namespace
 * has, {@code kubernetes.io/metadata.name}.
 */
public final class FileConfigSource implements Supplier<NodeConfig>, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FileConfigSource.class);

    private final Path file;
    private final AtomicReference<NodeConfig> current;
    private final Thread watcher;
    private final List<Consumer<NodeConfig>> listeners = new CopyOnWriteArrayList<>();
    private volatile FileTime loaded;

    private FileConfigSource(Path file, NodeConfig first, FileTime loaded, Duration interval) {
        this.file = file;
        this.current = new AtomicReference<>(first);
        this.loaded = loaded;
        this.watcher = Thread.ofVirtual().name("config-file-watch").start(() -> watch(interval));
    }

    /** Reads the file; a missing or invalid file is an {@link IllegalArgumentException} naming it. */
    public static FileConfigSource open(Path file, Duration interval) {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            return new FileConfigSource(file, NodeConfigCodec.read(Files.readString(file)), modified, interval);
        } catch (IOException e) {
            throw new IllegalArgumentException("node config file " + file + " cannot be read: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("node config file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Called on every successfully reloaded config, on the watcher's thread: return quickly. */
    public void onNewGeneration(Consumer<NodeConfig> listener) {
        listeners.add(listener);
    }

    @Override
    public NodeConfig get() {
        return current.get();
    }

    private void watch(Duration interval) {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(interval);
                FileTime modified = Files.getLastModifiedTime(file);
                if (!modified.equals(loaded)) {
                    loaded = modified;
                    NodeConfig next = NodeConfigCodec.read(Files.readString(file));
                    current.set(next);
                    LOG.info("node config reloaded file={} generation={}", file, next.generation());
                    notifyListeners(next);
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException | IllegalArgumentException e) {
                LOG.error(
                        "node config not reloaded, keeping generation={} file={} error={}",
                        current.get().generation(),
                        file,
                        e.getMessage());
            }
        }
    }

    private void notifyListeners(NodeConfig config) {
        for (Consumer<NodeConfig> listener : listeners) {
            try {
                listener.accept(config);
            } catch (RuntimeException e) {
                LOG.error("node config listener failed generation={} error={}", config.generation(), e.toString(), e);
            }
        }
    }

    @Override
    public void close() {
        watcher.interrupt();
    }
}
