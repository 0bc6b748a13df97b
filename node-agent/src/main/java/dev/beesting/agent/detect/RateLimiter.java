package dev.beesting.agent.detect;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The Java twin of the BPF rate limit, for tiers that see opens in user space (fanotify). */
final class RateLimiter {
    private static final int MAX_TRACKED = 16384;

    private record Key(long tokenId, int opener) {}

    private static final class Window {
        long start;
        long emitted;
    }

    private final RateLimit limit;
    private final Map<Key, Window> windows = new ConcurrentHashMap<>();

    RateLimiter(RateLimit limit) {
        this.limit = limit;
    }

    /** Whether an event of this (token, opener) may go out at {@code nowNanos}; the opener is a tgid or a tid. */
    boolean allows(long tokenId, int opener, long nowNanos) {
        if (limit.burst() == 0) {
            return true;
        }
        if (windows.size() > MAX_TRACKED) {
            windows.clear(); // forgetting windows only lets a few more events through
        }
        Window window = windows.computeIfAbsent(new Key(tokenId, opener), k -> new Window());
        synchronized (window) {
            if (window.emitted == 0 || nowNanos - window.start >= limit.window().toNanos()) {
                window.start = nowNanos;
                window.emitted = 0;
            }
            return window.emitted++ < limit.burst();
        }
    }
}
