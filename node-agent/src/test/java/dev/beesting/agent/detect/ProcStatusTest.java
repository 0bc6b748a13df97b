package dev.beesting.agent.detect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcStatusTest {
    @Test
    void readsCommTgidAndRealIds() {
        String status = """
                Name:\tcat
                Umask:\t0022
                State:\tR (running)
                Tgid:\t4711
                Pid:\t4712
                Uid:\t1000\t0\t0\t0
                Gid:\t100\t0\t0\t0
                """;

        assertThat(ProcStatus.parse(status)).isEqualTo(new ProcStatus("cat", 4711, 1000, 100));
    }
}
