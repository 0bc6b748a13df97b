package dev.beesting.agent.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beesting.agent.model.ContainerInit;
import dev.beesting.agent.model.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The container's first process is recorded once, at its start, and not read again for each alert. */
class ContainerRegistryTest {
    private static final Workload WEB =
            new Workload("node-1", "cms", "cms-1", "uid-1", Map.of(), "web", "c0ffee", "busybox");

    private final List<Integer> reads = new ArrayList<>();
    private final ContainerRegistry registry = new ContainerRegistry(pid -> {
        reads.add(pid);
        return 4026532000L + pid;
    });

    @Test
    void theNamespaceIsReadWhenThePidIsFirstReportedAndKeptWhileTheContainerLives() {
        registry.created(new RunningContainer(WEB, 0));
        assertThat(registry.init("c0ffee")).isEqualTo(ContainerInit.UNKNOWN);

        registry.update(new RunningContainer(WEB, 500));
        registry.update(new RunningContainer(WEB, 500)); // Synchronize lists it again
        assertThat(registry.init("c0ffee")).isEqualTo(new ContainerInit(500, 4026532500L));
        assertThat(reads).containsExactly(500);

        registry.remove("c0ffee");
        assertThat(registry.init("c0ffee")).isEqualTo(ContainerInit.UNKNOWN);
    }

    @Test
    void aContainerReportedWithAnotherPidIsReadAgain() {
        registry.update(new RunningContainer(WEB, 500));
        registry.update(new RunningContainer(WEB, 600));
        assertThat(registry.init("c0ffee")).isEqualTo(new ContainerInit(600, 4026532600L));
        assertThat(reads).containsExactly(500, 600);
    }

    @Test
    void aNamespaceThatCouldNotBeReadLeavesTheFirstProcessUnknownForOrigins() {
        ContainerRegistry unreadable = new ContainerRegistry(pid -> 0);
        unreadable.update(new RunningContainer(WEB, 500));
        assertThat(unreadable.init("c0ffee").known()).isFalse();
    }
}
