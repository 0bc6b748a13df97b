package dev.beesting.agent.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beesting.api.nodeconfig.NodeConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReconcilerTest {
    private final AtomicReference<NodeConfig> config = new AtomicReference<>(config(3));
    private final AtomicReference<RuntimeException> fault = new AtomicReference<>();
    private final TokenPlanter planter = new TokenPlanter(
            Path.of("/nonexistent/beesting-state"),
            new FakeDetector(),
            new TemplateRenderer(),
            this::current,
            NamespaceLabelSource.namesOnly(),
            "node-1");
    private final Reconciler reconciler = new Reconciler(planter);

    @AfterEach
    void close() {
        reconciler.close();
    }

    @Test
    void nothingIsAppliedBeforeTheFirstPass() {
        assertThat(reconciler.appliedGeneration()).isZero();
    }

    @Test
    void aCompletedPassReportsTheGenerationItApplied() {
        passOnce();

        assertThat(reconciler.appliedGeneration()).isEqualTo(3);
    }

    @Test
    void aReceivedGenerationIsNotReportedBeforeItsPassHasRun() {
        passOnce();

        config.set(config(4));

        assertThat(reconciler.appliedGeneration()).isEqualTo(3);
        passOnce();
        assertThat(reconciler.appliedGeneration()).isEqualTo(4);
    }

    @Test
    void aFailedPassDoesNotCountAsApplied() {
        passOnce();
        config.set(config(4));
        fault.set(new IllegalStateException("config unreadable"));

        passOnce();

        assertThat(reconciler.appliedGeneration()).isEqualTo(3);
    }

    @Test
    void eachNewlyAppliedGenerationIsAnnouncedOnce() {
        List<Long> announced = new CopyOnWriteArrayList<>();
        reconciler.onApplied(announced::add);

        passOnce();
        passOnce();
        config.set(config(4));
        passOnce();

        assertThat(announced).containsExactly(3L, 4L);
    }

    @Test
    void aFailedPassAnnouncesNothing() {
        passOnce();
        List<Long> announced = new CopyOnWriteArrayList<>();
        reconciler.onApplied(announced::add);
        config.set(config(4));
        fault.set(new IllegalStateException("config unreadable"));

        passOnce();

        assertThat(announced).isEmpty();
    }

    private void passOnce() {
        long before = reconciler.passes();
        reconciler.request();
        await().atMost(Duration.ofSeconds(5)).until(() -> reconciler.passes() > before);
    }

    private NodeConfig current() {
        RuntimeException e = fault.get();
        if (e != null) {
            throw e;
        }
        return config.get();
    }

    private static NodeConfig config(long generation) {
        return new NodeConfig(NodeConfig.API_VERSION, generation, List.of());
    }
}
