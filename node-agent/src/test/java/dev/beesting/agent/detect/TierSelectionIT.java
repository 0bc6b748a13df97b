package dev.beesting.agent.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.beesting.agent.testing.RealParts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Selection walks the preference order and ends on the first tier this kernel accepts. */
class TierSelectionIT {

    @Test
    void selectionFallsThroughRefusedTiersToTheFirstThatLoads() throws Exception {
        RealParts.requireRoot();
        Tier expected = TestTiers.expectedSelection();

        try (Detector detector = Detectors.open(Detectors.DEFAULT_ORDER, Optional.empty())) {
            assertThat(detector.tier()).isEqualTo(expected);
        }
    }

    @Test
    void everyTierBeforeTheSelectedOneIsRefusedWithTheKernelsReason() {
        RealParts.requireRoot();
        Tier expected = TestTiers.expectedSelection();

        for (Tier refused : Detectors.DEFAULT_ORDER.subList(0, Detectors.DEFAULT_ORDER.indexOf(expected))) {
            assertThatThrownBy(() -> Detectors.open(refused, RateLimit.DEFAULT).close())
                    .as("tier %s", refused.id())
                    .isInstanceOf(BpfException.class)
                    .hasMessageMatching(".*failed: (EPERM|ENOENT|EINVAL|EOPNOTSUPP|ENOTSUPP|ENOSYS|E2BIG|errno \\d+)");
        }
    }

    @Test
    void theOrderIsByCoverageFirstSoFanotifyComesBeforeTheSyscallTierThatMissesIoUring() {
        assertThat(Detectors.DEFAULT_ORDER)
                .containsExactly(Tier.LSM, Tier.FENTRY, Tier.KPROBE, Tier.FANOTIFY, Tier.SYSCALL);
    }

    @Test
    void theAutomaticallySelectedTierCatchesAnOpenatThroughIoUring() throws Exception {
        RealParts.requireRoot();
        Path dir = Files.createTempDirectory(Path.of("/dev/shm"), "beesting-it-");
        List<AccessEvent> events = new CopyOnWriteArrayList<>();
        try (Detector detector = Detectors.open(Detectors.DEFAULT_ORDER, Optional.empty())) {
            Path token = Files.writeString(dir.resolve("token"), "secret\n");
            long id = detector.arm(token, AccessAction.ALERT);
            detector.start(events::add);

            RealKernel.Run uring = RealKernel.opener("iouring", token);

            assertThat(uring.exitCode()).as(uring.stderr()).isZero();
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(events)
                            .as("tier %s", detector.tier().id())
                            .anyMatch(RealKernel.from(id, uring)));
            assertThat(detector.count(id)).isEqualTo(1);
        } finally {
            Files.deleteIfExists(dir.resolve("token"));
            Files.delete(dir);
        }
    }

    @Test
    void forcingATierUsesExactlyThatTierOrFailsNamingItAndTheReason() throws Exception {
        RealParts.requireRoot();
        boolean lsmLoadsHere = TestTiers.expectedSelection() == Tier.LSM;

        if (lsmLoadsHere) {
            try (Detector detector = Detectors.open(List.of(Tier.values()), Optional.of(Tier.LSM))) {
                assertThat(detector.tier()).isEqualTo(Tier.LSM);
            }
        } else {
            assertThatThrownBy(() -> Detectors.open(List.of(Tier.values()), Optional.of(Tier.LSM)))
                    .isInstanceOf(NoUsableTierException.class)
                    .hasMessageStartingWith("no usable detector tier: lsm: ")
                    .satisfies(e ->
                            assertThat(((NoUsableTierException) e).refusals()).containsOnlyKeys(Tier.LSM));
        }
    }
}
