package dev.beesting.agent.detect;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The tiers the real-kernel tests exercise: {@code -Dbeesting.test.tiers=lsm,fentry,kprobe} or the
 * {@code BEESTING_TEST_TIERS} environment variable (the qemu harness sets it), else the tiers that load on the
 * project's build machines.
 */
final class TestTiers {
    static final String DEFAULT = "syscall,fanotify";

    private TestTiers() {}

    static List<Tier> selected() {
        String value = Optional.ofNullable(System.getProperty("beesting.test.tiers"))
                .or(() -> Optional.ofNullable(System.getenv("BEESTING_TEST_TIERS")))
                .filter(s -> !s.isBlank())
                .orElse(DEFAULT);
        return Arrays.stream(value.split(","))
                .map(String::strip)
                .map(Tier::fromId)
                .toList();
    }

    /**
     * The tier automatic selection should end on here ({@code beesting.test.expectedTier}, default fanotify: the
     * build machines refuse lsm, fentry and kprobe, and fanotify comes before syscall).
     */
    static Tier expectedSelection() {
        String value = Optional.ofNullable(System.getProperty("beesting.test.expectedTier"))
                .or(() -> Optional.ofNullable(System.getenv("BEESTING_TEST_EXPECTED_TIER")))
                .filter(s -> !s.isBlank())
                .orElse("fanotify");
        return Tier.fromId(value);
    }
}
