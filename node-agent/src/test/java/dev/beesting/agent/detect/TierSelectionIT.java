package dev.beesting.agent.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beesting.agent.testing.RealParts;
import java.util.List;
import java.util.Optional;
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

        for (Tier refused : Detectors.DEFAULT_ORDER.subList(0, expected.ordinal())) {
            assertThatThrownBy(() -> Detectors.open(refused, RateLimit.DEFAULT).close())
                    .as("tier %s", refused.id())
                    .isInstanceOf(BpfException.class)
                    .hasMessageMatching(".*failed: (EPERM|ENOENT|EINVAL|EOPNOTSUPP|ENOTSUPP|ENOSYS|E2BIG|errno \\d+)");
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
