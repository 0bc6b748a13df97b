package dev.beesting.agent.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * A test class that drives one real containerd through CRI: started once for the class, stopped (with every
 * pod removed first, so no shim outlives it) after. Subclasses name the containerd version.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ContainerdSuite {
    protected Containerd containerd;
    protected CriClient cri;

    /** "1.7" or "2". */
    protected abstract String containerdVersion();

    @BeforeAll
    void startContainerd() throws Exception {
        containerd = Containerd.start(containerdVersion());
        cri = new CriClient(containerd.socket());
        assertThat(cri.version().getRuntimeVersion()).startsWith(containerdVersion());
    }

    @AfterAll
    void stopContainerd() throws Exception {
        if (cri != null) {
            cri.removeAllPods();
            cri.close();
        }
        if (containerd != null) {
            containerd.close();
        }
    }
}
