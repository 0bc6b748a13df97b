package dev.beesting.e2e;

import java.util.ArrayDeque;
import java.util.Deque;

/** Closes what a test started, last first, and keeps going when one close fails. */
final class AutoCloser implements AutoCloseable {
    @FunctionalInterface
    interface Closer<T> {
        void close(T resource) throws Exception;
    }

    private final Deque<Runnable> closers = new ArrayDeque<>();

    <T extends AutoCloseable> T add(T resource) {
        return add(resource, AutoCloseable::close);
    }

    <T> T add(T resource, Closer<T> closer) {
        closers.push(() -> {
            try {
                closer.close(resource);
            } catch (Exception e) {
                System.err.println("close failed: " + resource + ": " + e);
            }
        });
        return resource;
    }

    @Override
    public void close() {
        while (!closers.isEmpty()) {
            closers.pop().run();
        }
    }
}
