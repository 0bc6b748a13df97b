package dev.beesting.agent.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An opener whose memory hangs (its pages on a stalled FUSE or NFS mount) makes a read of its
 * {@code /proc/<pid>/cmdline} wait as long as the mount does. That must never stop the agent from reporting other
 * opens, nor from reporting that opener.
 *
 * <p>The opener's {@code /proc/<pid>/cmdline} really hangs here: a thread of it faults a page of a FUSE file whose
 * server never answers while holding its mmap_lock, a second thread queues for that lock to write, and every reader of
 * its argv queues behind them (the helper {@code opener stalled}; {@code cat /proc/<pid>/cmdline} hangs too). Killing
 * the opener kills its FUSE server, which ends the hung reads.
 */
class StalledOpenerIT {
    static List<Tier> tiers() {
        return TestTiers.selected();
    }

    /**
     * With a deadline far away the stalled opener's event stays pending for the whole test, so the other token's event
     * coming first shows that it never waits for the hung read, however slow the machine (a qemu guest without KVM
     * takes a second to start a process).
     */
    @ParameterizedTest
    @MethodSource("tiers")
    void anOpenerWhoseCommandLineCannotBeReadHoldsUpNoOtherTokensEvent(Tier tier) throws Exception {
        try (RealKernel kernel = RealKernel.open(tier, RateLimit.DEFAULT, Duration.ofSeconds(60))) {
            long stalledToken = kernel.detector.arm(kernel.plant("stalled", "bait"), AccessAction.ALERT);
            long otherToken = kernel.detector.arm(kernel.plant("other", "bait"), AccessAction.ALERT);
            Process stalled = startStalled(kernel, stalledToken);
            try {
                long start = System.nanoTime();
                RealKernel.Run other = RealKernel.opener("open", kernel.dir.resolve("other"));
                assertThat(other.exitCode()).as(other.stderr()).isZero();
                AccessEvent otherEvent = awaitEvent(kernel, RealKernel.from(otherToken, other));
                System.out.printf(
                        "stalled tier=%s otherReportedAfterMs=%d%n",
                        tier.id(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                assertThat(otherEvent.opener().cmdline()).contains("other");
                assertThat(kernel.events.stream().noneMatch(e -> e.tokenId() == stalledToken))
                        .as("the stalled opener's read still hangs")
                        .isTrue();
                assertThat(kernel.detector.alive()).isTrue();
            } finally {
                stop(stalled);
            }
            // its read ended with its FUSE server: it is reported too
            AccessEvent stalledEvent = awaitEvent(kernel, e -> e.tokenId() == stalledToken);
            assertThat(stalledEvent.opener().tgid()).isEqualTo((int) stalled.pid());
        }
    }

    @ParameterizedTest
    @MethodSource("tiers")
    void anOpenerWhoseCommandLineCannotBeReadIsReportedByTheDeadlineWithWhatTheKernelGave(Tier tier) throws Exception {
        try (RealKernel kernel = RealKernel.open(tier, RateLimit.DEFAULT)) {
            long stalledToken = kernel.detector.arm(kernel.plant("stalled", "bait"), AccessAction.ALERT);
            Process stalled = startStalled(kernel, stalledToken);
            try {
                AccessEvent event = awaitEvent(kernel, e -> e.tokenId() == stalledToken);
                assertThat(stalled.isAlive())
                        .as("reported while its read still hangs")
                        .isTrue();
                assertThat(event.opener().tgid()).isEqualTo((int) stalled.pid());
                assertThat(event.opener().comm()).isEqualTo("opener");
                assertThat(event.opener().exe()).endsWith("/opener");
                // the open was answered (fanotify) and returned: the opener says so
                assertThat(new BufferedReader(new InputStreamReader(stalled.getInputStream(), StandardCharsets.UTF_8))
                                .readLine())
                        .isEqualTo("ready");
                assertThat(kernel.detector.alive()).isTrue();
            } finally {
                stop(stalled);
            }
        }
    }

    /** Starts {@code opener stalled} on the token and waits until its open reached the detector. */
    private static Process startStalled(RealKernel kernel, long token) throws Exception {
        Path mount = Files.createDirectory(kernel.dir.resolve("fuse"));
        Process stalled = new ProcessBuilder(
                        RealKernel.OPENER.toString(),
                        "stalled",
                        kernel.dir.resolve("stalled").toString(),
                        mount.toString())
                .redirectErrorStream(true)
                .start();
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(5))
                .until(() -> kernel.detector.count(token) == 1 || !stalled.isAlive());
        if (!stalled.isAlive()) {
            throw new AssertionError("opener stalled ended: "
                    + new String(stalled.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        return stalled;
    }

    private static void stop(Process stalled) throws InterruptedException {
        stalled.destroyForcibly();
        assertThat(stalled.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    private static AccessEvent awaitEvent(RealKernel kernel, Predicate<AccessEvent> match) {
        return await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(5))
                .until(() -> kernel.events.stream().filter(match).findFirst(), Optional::isPresent)
                .orElseThrow();
    }
}
