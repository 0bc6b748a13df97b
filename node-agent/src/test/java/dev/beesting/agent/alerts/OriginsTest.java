package dev.beesting.agent.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beesting.agent.model.ContainerInit;
import dev.beesting.agent.model.Lineage;
import dev.beesting.agent.model.Opener;
import dev.beesting.agent.model.Origin;
import dev.beesting.agent.model.TokenRef;
import dev.beesting.agent.model.Workload;
import dev.beesting.api.v1alpha1.PolicyAction;
import dev.beesting.api.v1alpha1.Severity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the chain's facts and the container's first process decide the origin. */
class OriginsTest {
    private static final long CONTAINER_NS = 4026532100L;
    private static final long HOST_NS = 4026531841L;
    private static final int INIT = 500; // the container's first process, on the host
    private static final Workload POD =
            new Workload("node-1", "cms", "cms-1", "uid-1", Map.of(), "web", "c0ffee", "busybox");

    /** A token of a container whose first process, recorded at its start, had that pid (only INIT's namespace read). */
    private static TokenRef token(Workload workload, int containerPid) {
        return new TokenRef(
                "/root/.aws/credentials",
                "fake-aws",
                Severity.HIGH,
                PolicyAction.ALERT,
                List.of(),
                workload,
                Instant.EPOCH,
                new ContainerInit(containerPid, containerPid == INIT ? CONTAINER_NS : 0));
    }

    private static Opener opener(int tgid, long mountNamespace, int entryTgid) {
        return new Opener(
                tgid,
                tgid,
                0,
                0,
                "cat",
                "/bin/cat",
                "cat",
                null,
                new Lineage(List.of(), "", "", false, mountNamespace, entryTgid, Origin.UNKNOWN));
    }

    @Test
    void aDescendantOfTheContainersFirstProcessIsOfTheContainer() {
        assertThat(Origins.decide(opener(510, CONTAINER_NS, INIT), token(POD, INIT)))
                .isEqualTo(Origin.CONTAINER);
        assertThat(Origins.decide(opener(INIT, CONTAINER_NS, INIT), token(POD, INIT)))
                .isEqualTo(Origin.CONTAINER);
    }

    @Test
    void aChainLeavingTheContainerElsewhereIsAnExec() {
        // cat, or the sh that an exec started, is where the chain leaves for the shim
        assertThat(Origins.decide(opener(610, CONTAINER_NS, 600), token(POD, INIT)))
                .isEqualTo(Origin.EXEC);
        assertThat(Origins.decide(opener(610, CONTAINER_NS, 610), token(POD, INIT)))
                .isEqualTo(Origin.EXEC);
    }

    @Test
    void aProcessInAnotherMountNamespaceIsTheHost() {
        assertThat(Origins.decide(opener(700, HOST_NS, 0), token(POD, INIT))).isEqualTo(Origin.HOST);
        assertThat(Origins.decide(opener(700, HOST_NS, 0), token(null, 0))).isEqualTo(Origin.HOST);
    }

    @Test
    void whatCannotBeToldIsUnknownNeverAGuess() {
        // the container's first process is unknown (not started as far as the agent knows), or its namespace could
        // not be read at its start
        assertThat(Origins.decide(opener(510, CONTAINER_NS, INIT), token(POD, 0)))
                .isEqualTo(Origin.UNKNOWN);
        assertThat(Origins.decide(opener(510, CONTAINER_NS, INIT), token(POD, 999)))
                .isEqualTo(Origin.UNKNOWN);
        // the detector could not tell the opener's namespace, or where its chain leaves it
        assertThat(Origins.decide(opener(510, 0, INIT), token(POD, INIT))).isEqualTo(Origin.UNKNOWN);
        assertThat(Origins.decide(opener(510, CONTAINER_NS, 0), token(POD, INIT)))
                .isEqualTo(Origin.UNKNOWN);
    }
}
