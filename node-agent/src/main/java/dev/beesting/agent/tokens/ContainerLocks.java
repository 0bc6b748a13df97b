package dev.beesting.agent.tokens;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One lock per container. Planting into a new container never waits for live planting into another one, whose
 * file I/O in the container's filesystem can hang (a stalled FUSE or NFS mount): the runtime's CreateContainer
 * must be answered within its budget.
 */
final class ContainerLocks {
    private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    <T> T locked(String containerId, Supplier<T> action) {
        ReentrantLock lock = locks.computeIfAbsent(containerId, id -> new ReentrantLock());
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    void locked(String containerId, Runnable action) {
        locked(containerId, () -> {
            action.run();
            return null;
        });
    }

    /** Drops the lock of a container that is gone; called while holding it. */
    void forget(String containerId) {
        locks.remove(containerId);
    }
}
