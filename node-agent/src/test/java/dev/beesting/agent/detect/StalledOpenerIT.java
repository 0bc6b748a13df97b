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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An opener whose memory hangs (its pages on a stalled FUSE or NFS mount) makes a read of its
 * {@code /proc/<pid>/cmdline} wait as long as the mount does. That must never stop the agent from reporting other
 * opens.
 */
class StalledOpenerIT {
    static List<Tier> tiers() {
        return TestTiers.selected();
    }

    /**
     * The opener's {@code /proc/<pid>/cmdline} really hangs here: a thread of it faults a page of a FUSE file whose
     * server never answers while holding its mmap_lock, a second thread queues for that lock to write, and every
     * reader of its argv queues behind them (the helper {@code opener stalled}; {@code cat /proc/<pid>/cmdline}
     * hangs too).
     */
    @ParameterizedTest
    @MethodSource("tiers")
    void anOpenerWhoseCommandLineCannotBeReadHoldsUpNoOtherTokensEvent(Tier tier) throws Exception {
        try (RealKernel kernel = RealKernel.open(tier, RateLimit.DEFAULT)) {
            long stalledToken = kernel.detector.arm(kernel.plant("stalled", "bait"), AccessAction.ALERT);
            long otherToken = kernel.detector.arm(kernel.plant("other", "bait"), AccessAction.ALERT);
            // warm up: the measured open below must not pay for class loading and the first process start
            RealKernel.Run warmUp = RealKernel.opener("open", kernel.dir.resolve("other"));
            kernel.awaitEvent(RealKernel.from(otherToken, warmUp));
            Path mount = Files.createDirectory(kernel.dir.resolve("fuse"));
            Process stalled = new ProcessBuilder(
                            RealKernel.OPENER.toString(),
                            "stalled",
                            kernel.dir.resolve("stalled").toString(),
                            mount.toString())
                    .redirectErrorStream(true)
                    .start();
            try {
                // the stalled opener's open reached the detector: its event is being read from /proc now
                await().atMost(Duration.ofSeconds(10))
                        .pollInterval(Duration.ofMillis(2))
                        .until(() -> kernel.detector.count(stalledToken) == 1 || !stalled.isAlive());
                if (!stalled.isAlive()) {
                    throw new AssertionError("opener stalled ended: "
                            + new String(stalled.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                }

                long start = System.nanoTime();
                RealKernel.Run other = RealKernel.opener("open", kernel.dir.resolve("other"));
                assertThat(other.exitCode()).as(other.stderr()).isZero();
                AccessEvent otherEvent = await().atMost(Duration.ofSeconds(10))
                        .pollInterval(Duration.ofMillis(5))
                        .until(
                                () -> kernel.events.stream()
                                        .filter(RealKernel.from(otherToken, other))
                                        .findFirst(),
                                Optional::isPresent)
                        .orElseThrow();
                long latencyMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertThat(kernel.events.stream().noneMatch(e -> e.tokenId() == stalledToken))
                        .as(
                                "the other token's open (%d ms) is reported before the stalled opener's deadline",
                                latencyMillis)
                        .isTrue();
                assertThat(otherEvent.opener().cmdline()).contains("other");

                // the stalled opener is still reported, by its deadline, with what did not need its memory
                AccessEvent stalledEvent = kernel.awaitEvent(e -> e.tokenId() == stalledToken);
                assertThat(stalledEvent.opener().tgid()).isEqualTo((int) stalled.pid());
                assertThat(stalledEvent.opener().comm()).isEqualTo("opener");
                assertThat(kernel.detector.alive()).isTrue();
                assertThat(readLine(stalled)).isEqualTo("ready");
            } finally {
                // its FUSE server dies with it, which ends the hung reads
                stalled.destroyForcibly();
                assertThat(stalled.waitFor(10, TimeUnit.SECONDS)).isTrue();
            }
        }
    }

    private static String readLine(Process process) throws Exception {
        return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)).readLine();
    }
}
