package dev.beesting.agent.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OpenerTest {
    @Test
    void everyFieldIsBoundedWhateverItsSourceAndTheCutIsMarked() {
        Opener huge = new Opener(1, 1, 0, 0, "c".repeat(1000), "/e".repeat(10_000), "x".repeat(2_000_000));

        assertThat(huge.comm()).hasSize(Opener.MAX_COMM).endsWith(Opener.TRUNCATED);
        assertThat(huge.exe()).hasSize(Opener.MAX_EXE).endsWith(Opener.TRUNCATED);
        assertThat(huge.cmdline()).hasSize(Opener.MAX_CMDLINE).endsWith(Opener.TRUNCATED);
        // bounding again (a saved or re-read opener) changes nothing
        assertThat(new Opener(1, 1, 0, 0, huge.comm(), huge.exe(), huge.cmdline()))
                .isEqualTo(huge);
        assertThat(new Opener(1, 1, 0, 0, null, "/bin/cat", "cat x").comm()).isEmpty();
    }
}
