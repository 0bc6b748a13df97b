package dev.beesting.agent.kube;

import static dev.beesting.agent.kube.Alerts.access;
import static org.assertj.core.api.Assertions.assertThat;

import dev.beesting.api.v1alpha1.HoneytokenAlertStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AlertStateTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    @Test
    void countIsTheKernelsExactTotal() {
        AlertState state = AlertState.first(access(1, 10, "cat", T0), T0);
        state.apply(access(7, 10, "cat", T0.plusSeconds(1)));
        state.apply(access(101, 10, "cat", T0.plusSeconds(2)));
        assertThat(state.total()).isEqualTo(101);
    }

    @Test
    void aRestartedKernelCounterAddsToWhatWasCountedBefore() {
        AlertState state = AlertState.first(access(40, 10, "cat", T0), T0);
        state.apply(access(2, 11, "cat", T0.plusSeconds(1)));
        assertThat(state.total()).isEqualTo(42);
    }

    @Test
    void recentProcessesAreDistinctNewestFirstAndAtMostTen() {
        AlertState state = AlertState.first(access(1, 100, "cat", T0), T0);
        for (int i = 1; i <= 15; i++) {
            state.apply(access(1 + i, 100 + i, "cat", T0.plusSeconds(i)));
        }
        state.apply(access(17, 110, "cat", T0.plusSeconds(20)));
        AlertRecord record = state.snapshot();
        assertThat(record.processes()).hasSize(AlertState.RECENT_PROCESSES);
        assertThat(record.processes())
                .extracting(seen -> seen.process().tgid())
                .containsExactly(110, 115, 114, 113, 112, 111, 109, 108, 107, 106);
        assertThat(record.latest().time()).isEqualTo(T0.plusSeconds(20));
    }

    @Test
    void anExistingObjectsCountIsFoldedInOnlyOnce() {
        AlertState state = AlertState.first(access(1, 10, "cat", T0), T0);
        HoneytokenAlertStatus existing = new HoneytokenAlertStatus();
        existing.count = 40L;
        existing.firstSeen = "2026-11-22T10:00:00Z";
        state.adopt(existing);
        state.adopt(existing);
        assertThat(state.total()).isEqualTo(41);
        assertThat(state.snapshot().firstSeen()).isEqualTo(Instant.parse("2026-11-22T10:00:00Z"));
    }

    @Test
    void aRestoredAlertCountsOnFromWhatWasSaved() {
        AlertState before = AlertState.first(access(5, 10, "cat", T0), T0);
        AlertState after = AlertState.restore(before.snapshot(), T0.plusSeconds(60));
        assertThat(after.pending()).isTrue();
        after.apply(access(1, 11, "cat", T0.plusSeconds(61)));
        assertThat(after.total()).isEqualTo(6);
    }

    @Test
    void theEventMessageNamesProcessPathAndPolicy() {
        AlertState state = AlertState.first(access(1, 4711, "cat", T0), T0);
        assertThat(AlertResources.message(state.snapshot()))
                .isEqualTo("process cat (pid 4711, uid 0) opened honeytoken " + Alerts.PATH
                        + " (policy fake-aws-credentials)");
    }
}
