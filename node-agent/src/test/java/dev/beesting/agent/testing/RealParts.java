package dev.beesting.agent.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Guards for tests that need a real part (root, a kernel feature, containerd). On a developer laptop a missing
 * part skips the test with the reason; with {@code CI=true} it fails it, because CI must never pass by skipping.
 */
public final class RealParts {
    private RealParts() {}

    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Skips (laptop) or fails (CI) the calling test unless {@code condition} holds. */
    public static void require(boolean condition, String reason) {
        if (condition) {
            return;
        }
        if (inCi()) {
            fail("CI=true and a real part is missing: " + reason);
        }
        assumeTrue(false, reason);
    }

    public static void requireRoot() {
        require("root".equals(System.getProperty("user.name")), "needs root (BPF, fanotify, containerd)");
    }
}
