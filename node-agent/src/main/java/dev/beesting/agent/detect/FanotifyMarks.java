package dev.beesting.agent.detect;

import dev.beesting.agent.sys.Libc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The armed tokens of a fanotify group: a mark on each token's inode, and the token an event's file belongs to,
 * known by (device, inode) whatever path the opener used.
 */
final class FanotifyMarks {
    private static final Logger log = LoggerFactory.getLogger(FanotifyDetector.class);

    /** One armed token; {@code fd} names its inode for the mark and pins it. */
    record Armed(long id, Path path, int fd, AccessAction action, AtomicLong count) {}

    private record FileKey(long dev, long ino) {}

    private final Fanotify group;
    private final Map<Long, Armed> byId = new ConcurrentHashMap<>();
    private final Map<FileKey, Armed> byKey = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(1);

    FanotifyMarks(Fanotify group) {
        this.group = group;
    }

    long arm(Path file, AccessAction action) throws IOException {
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

    /** The token the event's file is, or null for a file no token is (another mark's leftover event). */
    Armed byEventFd(int eventFd) throws IOException {
        return byKey.get(keyOf(eventFd));
    }

    void disarm(long tokenId) {
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

    void disarmAll() {
        List.copyOf(byId.keySet()).forEach(this::disarm);
    }

    long count(long tokenId) {
        Armed armed = byId.get(tokenId);
        if (armed == null) {
            throw new IllegalArgumentException("token " + tokenId + " is not armed");
        }
        return armed.count().get();
    }

    private static FileKey keyOf(int fd) throws IOException {
        // stat through the magic link reaches the open file itself, whatever its path is now
        Path link = Path.of("/proc/self/fd", Integer.toString(fd));
        return new FileKey(
                ((Number) Files.getAttribute(link, "unix:dev")).longValue(),
                ((Number) Files.getAttribute(link, "unix:ino")).longValue());
    }
}
